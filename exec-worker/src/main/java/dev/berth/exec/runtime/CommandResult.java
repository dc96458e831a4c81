package dev.berth.exec.runtime;

/** What a runtime command printed and how it ended. */
public record CommandResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }

    /** The runtime's own words, without its log-format prefixes. */
    public String message() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip().replaceAll("^time=\"[^\"]*\" level=\\w+ msg=\"(.*)\"$", "$1");
    }
}
