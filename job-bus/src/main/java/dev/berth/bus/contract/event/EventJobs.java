package dev.berth.bus.contract.event;

import dev.berth.bus.JobBus;
import dev.berth.bus.stream.JobStream;
import io.vertx.core.Future;

/** What route groups ask of the event journal. */
public interface EventJobs {
    /** Opens an {@link EventJobTypes#READ} stream; {@link #header} says how it was accepted. */
    Future<JobStream> read(ReadEvents args);

    static EventsAccepted header(JobStream stream) {
        return JobBus.header(EventJobTypes.READ, stream);
    }

    /** The jobs sent on {@code bus}. */
    static EventJobs over(JobBus bus) {
        return args -> bus.open(EventJobTypes.READ, args);
    }
}
