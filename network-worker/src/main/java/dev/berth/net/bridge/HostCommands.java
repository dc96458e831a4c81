package dev.berth.net.bridge;

import java.io.IOException;
import java.util.List;

/** The host's network tools (ip, iptables-restore, nsenter), run as processes. */
public interface HostCommands {
    /**
     * Runs argv with input on its standard input; returns its standard output, or fails with an
     * IOException holding its standard error when it exits with another code than 0.
     */
    String run(List<String> argv, String input) throws IOException;

    static HostCommands processes() {
        return new ProcessHostCommands();
    }
}
