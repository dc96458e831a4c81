package dev.berth.bus.local;

import dev.berth.bus.JobBusConformance;
import dev.berth.bus.stream.StreamSettings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import java.util.concurrent.TimeUnit;

/** The local transport passes the conformance suite; caller and server are one bus on one Vert.x. */
class LocalJobBusConformanceTest extends JobBusConformance {
    @Override
    protected BusPair start(StreamSettings settings) {
        Vertx vertx = Vertx.vertx();
        LocalJobBus bus = new LocalJobBus(vertx, "n1", settings);
        return new BusPair(bus, bus, vertx, vertx);
    }

    @Override
    protected void stop(BusPair pair) throws Exception {
        pair.callerVertx().close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Drops frames at delivery, by the side an inbox address names (".c" caller, ".w" worker). */
    @Override
    protected void dropFrames(BusPair pair, boolean toCaller, boolean toServer) {
        pair.callerVertx().eventBus().addInboundInterceptor((DeliveryContext<Object> delivery) -> {
            String address = delivery.message().address();
            boolean streamFrame = address.startsWith("berth.stream.");
            if (streamFrame && ((toCaller && address.endsWith(".c")) || (toServer && address.endsWith(".w")))) {
                return;
            }
            delivery.next();
        });
    }
}
