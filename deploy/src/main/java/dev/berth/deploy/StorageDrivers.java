package dev.berth.deploy;

import dev.berth.graph.snapshot.StorageDriver;
import dev.berth.host.HostFacts;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which storage driver the daemon uses: the one asked for (--storage-driver or daemon.json's
 * storage-driver), else overlay2, falling back to vfs with a log line when the kernel has no
 * overlayfs even after loading its module, as dockerd does.
 */
final class StorageDrivers {
    private static final Logger LOG = LoggerFactory.getLogger(StorageDrivers.class);

    private StorageDrivers() {
    }

    /** requested: a driver's name, or null for the default. overlay: whether the kernel has overlayfs (or can load it). */
    static StorageDriver choose(String requested, BooleanSupplier overlay) {
        if (requested != null) {
            StorageDriver driver = StorageDriver.named(requested);
            if (driver == StorageDriver.OVERLAY2 && !overlay.getAsBoolean()) {
                throw new IllegalArgumentException("the overlay2 storage driver is not supported here: the kernel has no"
                        + " overlay file system (see /proc/filesystems); use --storage-driver vfs");
            }
            return driver;
        }
        if (overlay.getAsBoolean()) {
            return StorageDriver.OVERLAY2;
        }
        LOG.warn("the kernel has no overlay file system: using the vfs storage driver, which copies every layer and"
                + " container whole (slower to start containers, more disk)");
        return StorageDriver.VFS;
    }

    /** overlay in /proc/filesystems, after asking modprobe to load it when it is not there yet. */
    static boolean overlayAvailable() {
        if (HostFacts.overlaySupported()) {
            return true;
        }
        try {
            Process modprobe = new ProcessBuilder("modprobe", "-q", "overlay").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!modprobe.waitFor(10, TimeUnit.SECONDS)) {
                modprobe.destroyForcibly();
            }
        } catch (IOException e) {
            return false; // no modprobe: nothing can load it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return HostFacts.overlaySupported();
    }
}
