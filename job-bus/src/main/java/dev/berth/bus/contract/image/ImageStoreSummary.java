package dev.berth.bus.contract.image;

import java.util.List;

/**
 * Reply of {@code image.summary}, for {@code /info}: how many images, the storage driver, its
 * status as [name, value] pairs (Docker's DriverStatus), and the file system under the store.
 */
public record ImageStoreSummary(int images, String driver, List<List<String>> driverStatus, String backingFilesystem) {
    public ImageStoreSummary {
        driverStatus = driverStatus == null ? List.of() : driverStatus.stream().map(List::copyOf).toList();
    }
}
