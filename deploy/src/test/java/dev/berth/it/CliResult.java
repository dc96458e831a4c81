package dev.berth.it;

/** What a docker CLI command did. */
public record CliResult(int exitCode, String stdout, String stderr, String command) {
    /** The output of a command that must succeed; fails the test with everything needed to see why. */
    public String ok() {
        if (exitCode != 0) {
            throw new AssertionError("`" + command + "` exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
        }
        return stdout;
    }

    public String out() {
        return stdout.trim();
    }
}
