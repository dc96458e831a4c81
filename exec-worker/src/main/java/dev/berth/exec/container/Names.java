package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/** Container ids and names: random ids, Docker's name rule, and names made up for the unnamed. */
public final class Names {
    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> ADJECTIVES = List.of("amber", "brave", "calm", "clever", "dazzling", "eager",
            "fervent", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "patient", "quiet", "quirky",
            "relaxed", "serene", "steady", "swift", "tender", "upbeat", "vibrant", "wise", "zealous", "bold", "cosmic",
            "dreamy", "elated", "frosty", "gallant", "hardy", "idle", "jovial", "kind", "lively", "mellow", "noble",
            "plucky");
    private static final List<String> NAMES = List.of("babbage", "bohr", "curie", "darwin", "euler", "faraday",
            "gauss", "hopper", "hypatia", "jemison", "kepler", "lovelace", "maxwell", "meitner", "newton", "noether",
            "pascal", "ramanujan", "shannon", "tesla", "turing", "volta", "wiles", "yonath", "zuse", "archimedes",
            "bell", "cerf", "dijkstra", "einstein", "fermi", "goodall", "hawking", "johnson", "knuth", "lamarr",
            "mirzakhani", "nash", "ritchie", "thompson");

    private Names() {
    }

    /** 64 hex digits whose first 12 are not all decimal, so a short id is never read as a number. */
    public static String newId() {
        while (true) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String id = HexFormat.of().formatHex(bytes);
            if (!id.substring(0, 12).matches("[0-9]+")) {
                return id;
            }
        }
    }

    /** Strips one leading slash and checks Docker's rule. */
    public static String validate(String name) {
        String bare = name.startsWith("/") ? name.substring(1) : name;
        if (!VALID.matcher(bare).matches()) {
            throw EngineException.invalid("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        return bare;
    }

    public static String random(int attempt) {
        String name = ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + NAMES.get(RANDOM.nextInt(NAMES.size()));
        return attempt > 5 ? name + RANDOM.nextInt(100) : name;
    }
}
