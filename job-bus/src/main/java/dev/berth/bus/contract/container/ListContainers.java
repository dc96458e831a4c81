package dev.berth.bus.contract.container;

import java.util.List;
import java.util.Map;

/** container.list: all includes stopped containers; limit &gt; 0 keeps the newest ones, stopped too; filters as `docker ps --filter`. */
public record ListContainers(boolean all, int limit, Map<String, List<String>> filters) {
    public ListContainers {
        filters = filters == null ? Map.of() : filters;
    }
}
