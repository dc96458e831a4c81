package dev.berth.exec.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The OCI process of a `docker exec`, for `runtime exec --process`: the container's own process
 * (so its rlimits, no-new-privileges and capabilities carry over, as with dockerd) with the
 * exec's command, environment, directory, user and terminal.
 */
public final class ExecProcessSpec {
    private ExecProcessSpec() {
    }

    /**
     * @param containerProcess the "process" object of the container's config.json
     * @param consoleSize [height, width], or null
     */
    public static ObjectNode build(JsonNode containerProcess, List<String> args, List<String> env, String cwd,
            ProcessUser user, boolean tty, boolean privileged, List<Integer> consoleSize) {
        ObjectNode process = containerProcess != null && containerProcess.isObject()
                ? ((ObjectNode) containerProcess).deepCopy() : JsonNodeFactory.instance.objectNode();
        process.put("terminal", tty);
        process.set("args", strings(args));
        process.set("env", strings(env));
        process.put("cwd", cwd);
        ObjectNode ids = JsonNodeFactory.instance.objectNode().put("uid", user.uid()).put("gid", user.gid());
        ArrayNode groups = ids.putArray("additionalGids");
        user.additionalGids().forEach(groups::add);
        process.set("user", ids);
        if (privileged) {
            ArrayNode all = strings(Capabilities.ofThisProcess());
            ObjectNode caps = JsonNodeFactory.instance.objectNode();
            caps.set("bounding", all);
            caps.set("effective", all.deepCopy());
            caps.set("permitted", all.deepCopy());
            process.set("capabilities", caps);
        }
        process.remove("consoleSize");
        if (tty && consoleSize != null && consoleSize.size() == 2 && consoleSize.get(0) > 0 && consoleSize.get(1) > 0) {
            process.set("consoleSize", JsonNodeFactory.instance.objectNode()
                    .put("height", consoleSize.get(0)).put("width", consoleSize.get(1)));
        }
        return process;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        values.forEach(array::add);
        return array;
    }
}
