package dev.berth.net;

import java.nio.file.Path;

/**
 * Configuration of the network worker.
 *
 * @param namespaceDir where network namespaces are pinned (exec-root/netns)
 */
public record NetworkOptions(Path namespaceDir) {
    public static NetworkOptions under(Path execRoot) {
        return new NetworkOptions(execRoot.resolve("netns"));
    }
}
