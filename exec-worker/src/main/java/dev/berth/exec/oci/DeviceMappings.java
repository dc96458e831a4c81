package dev.berth.exec.oci;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.HostConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * --device: host device nodes made in the container with the host's numbers, mode and owner,
 * and allowed in its device cgroup with the access asked (rwm by default). Blocks on disk.
 */
public final class DeviceMappings {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    private DeviceMappings() {
    }

    public static List<RuntimeSpec.Device> resolve(List<HostConfig.DeviceMapping> mappings) {
        List<RuntimeSpec.Device> devices = new ArrayList<>();
        for (HostConfig.DeviceMapping mapping : mappings == null ? List.<HostConfig.DeviceMapping>of() : mappings) {
            devices.add(resolve(mapping));
        }
        return devices;
    }

    private static RuntimeSpec.Device resolve(HostConfig.DeviceMapping mapping) {
        String host = mapping.pathOnHost() == null ? "" : mapping.pathOnHost();
        String inContainer = mapping.pathInContainer() == null || mapping.pathInContainer().isEmpty()
                ? host : mapping.pathInContainer();
        String access = mapping.cgroupPermissions() == null || mapping.cgroupPermissions().isEmpty()
                ? "rwm" : mapping.cgroupPermissions();
        if (!access.matches("[rwm]{1,3}")) {
            throw EngineException.invalid("invalid device mode: " + access);
        }
        if (!host.startsWith("/") || !inContainer.startsWith("/")) {
            throw EngineException.invalid("invalid device path: " + host + ":" + inContainer + ": paths must be absolute");
        }
        try {
            Map<String, Object> attributes = Files.readAttributes(Path.of(host), "unix:mode,rdev,uid,gid");
            int mode = (Integer) attributes.get("mode");
            int type = mode & S_IFMT;
            if (type != S_IFCHR && type != S_IFBLK) {
                throw EngineException.invalid("error gathering device information while adding custom device \"" + host
                        + "\": not a device node");
            }
            long rdev = ((Number) attributes.get("rdev")).longValue();
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            return new RuntimeSpec.Device(inContainer, type == S_IFCHR ? "c" : "b", major, minor, mode & 07777,
                    (Integer) attributes.get("uid"), (Integer) attributes.get("gid"), access);
        } catch (NoSuchFileException e) {
            throw EngineException.invalid("error gathering device information while adding custom device \"" + host
                    + "\": no such file or directory");
        } catch (IOException e) {
            throw EngineException.invalid("error gathering device information while adding custom device \"" + host
                    + "\": " + e.getMessage());
        }
    }
}
