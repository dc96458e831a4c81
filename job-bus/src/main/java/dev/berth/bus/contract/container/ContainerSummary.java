package dev.berth.bus.contract.container;

/** The reply to container.summary: how many containers are in each state, for /info. */
public record ContainerSummary(int running, int paused, int stopped) {
}
