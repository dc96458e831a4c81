package dev.berth.bus.contract.image;

import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code image.search}.
 *
 * @param term what the user typed: [registry/]words
 * @param limit at most this many results (1–100)
 * @param filters is-official, is-automated, stars, as decoded by the gateway
 */
public record SearchImages(String term, int limit, Map<String, List<String>> filters, RegistryAuth auth) {
}
