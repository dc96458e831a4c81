package dev.berth.api.model;

import dev.berth.bus.contract.container.ExecView;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Docker's JSON for an exec instance (GET /exec/{id}/json). ExitCode is null until the process ends. */
public final class ExecJson {
    private ExecJson() {
    }

    public static JsonObject inspect(ExecView view) {
        return new JsonObject()
                .put("CanRemove", view.canRemove())
                .put("ContainerID", view.containerId())
                .put("DetachKeys", view.detachKeys())
                .put("ExitCode", view.exitCode())
                .put("ID", view.id())
                .put("OpenStderr", view.openStderr())
                .put("OpenStdin", view.openStdin())
                .put("OpenStdout", view.openStdout())
                .put("ProcessConfig", new JsonObject()
                        .put("arguments", new JsonArray(view.arguments()))
                        .put("entrypoint", view.entrypoint())
                        .put("privileged", view.privileged())
                        .put("tty", view.tty())
                        .put("user", view.user()))
                .put("Running", view.running())
                .put("Pid", view.pid());
    }
}
