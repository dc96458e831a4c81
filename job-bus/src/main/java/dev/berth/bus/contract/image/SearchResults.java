package dev.berth.bus.contract.image;

import java.util.List;

/** The answer of {@code image.search}. */
public record SearchResults(List<Result> results) {
    public record Result(String name, String description, int starCount, boolean official, boolean automated) {
    }
}
