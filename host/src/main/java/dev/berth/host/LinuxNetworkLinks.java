package dev.berth.host;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * rtnetlink messages built by hand (linux/rtnetlink.h, if_link.h, veth.h) for the one link this
 * needs, a veth pair made, enslaved, brought up and half moved into a namespace in one request;
 * the address and route inside the namespace are set with the classic interface ioctls from a
 * short-lived thread that joined it.
 */
final class LinuxNetworkLinks implements NetworkLinks {
    private static final int AF_INET = 2;
    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int O_RDONLY_CLOEXEC = 02000000;
    private static final int NETLINK_ROUTE = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short NLMSG_ERROR = 2;
    private static final short NLM_F_REQUEST = 1;
    private static final short NLM_F_ACK = 4;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short IFLA_ADDRESS = 1;
    private static final short IFLA_IFNAME = 3;
    private static final short IFLA_MASTER = 10;
    private static final short IFLA_IFALIAS = 20;
    private static final short IFLA_LINKINFO = 18;
    private static final short IFLA_NET_NS_FD = 28;
    private static final short IFLA_INFO_KIND = 1;
    private static final short IFLA_INFO_DATA = 2;
    private static final short VETH_INFO_PEER = 1;
    private static final short NLA_F_NESTED = (short) 0x8000;
    private static final int IFF_UP = 1;
    private static final int ENODEV = 19;

    private static final long SIOCADDRT = 0x890B;
    private static final long SIOCSIFADDR = 0x8916;
    private static final long SIOCSIFNETMASK = 0x891C;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCSIFHWADDR = 0x8924;
    private static final short ARPHRD_ETHER = 1;
    private static final int IFREQ_SIZE = 40;
    private static final int RTENTRY_SIZE = 120;
    private static final short RTF_UP_GATEWAY = 0x3;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @Override
    public void addContainerVeth(String hostName, String bridge, Path netns, String insideName, String mac, String address,
            int prefixLength, String gateway) throws IOException {
        int bridgeIndex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", bridge, "ifindex")).trim());
        LibC libc = NativeAccess.libc();
        int nsFd = (int) NativeAccess.check(libc.open(netns.toString(), O_RDONLY_CLOEXEC, 0), "open", netns);
        try {
            Message message = new Message(RTM_NEWLINK, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
            message.ifinfo(IFF_UP, IFF_UP);
            message.string(IFLA_IFNAME, hostName);
            message.u32(IFLA_MASTER, bridgeIndex);
            vethPeer(message, insideName, macBytes(mac), nsFd);
            int error = talk(message);
            if (error != 0) {
                throw new NativeCallException("rtnetlink RTM_NEWLINK", hostName, error, libc.strerror(error));
            }
        } finally {
            libc.close(nsFd);
        }
        try {
            insideNamespace(netns, () -> configureInterface(insideName, address, prefixLength, gateway));
        } catch (IOException e) {
            delete(hostName);
            throw e;
        }
    }

    @Override
    public int addSpareVeth(String hostName, String label, HeldNamespace netns, String insideName) throws IOException {
        Message message = new Message(RTM_NEWLINK, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));
        message.ifinfo(0, 0);
        message.string(IFLA_IFNAME, hostName);
        vethPeer(message, insideName, null, netns.namespaceFd());
        check(talk(message), "rtnetlink RTM_NEWLINK", hostName);
        int index = Integer.parseInt(Files.readString(Path.of("/sys/class/net", hostName, "ifindex")).trim());
        // The label is set apart: a link's alias is not among what RTM_NEWLINK takes when creating one.
        Message labelling = new Message(RTM_NEWLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        labelling.ifinfo(index, 0, 0);
        labelling.string(IFLA_IFALIAS, label);
        int error = talk(labelling);
        if (error != 0) {
            delete(hostName);
            check(error, "rtnetlink RTM_NEWLINK IFLA_IFALIAS", hostName);
        }
        return index;
    }

    @Override
    public void plugIn(int hostIndex, String hostName, String bridge, HeldNamespace netns, String insideName, String mac,
            String address, int prefixLength, String gateway) throws IOException {
        int bridgeIndex = Integer.parseInt(Files.readString(Path.of("/sys/class/net", bridge, "ifindex")).trim());
        // The kernel renames before it brings the link up, as a rename needs the link down.
        Message message = new Message(RTM_NEWLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        message.ifinfo(hostIndex, IFF_UP, IFF_UP);
        message.string(IFLA_IFNAME, hostName);
        message.bytes(IFLA_IFALIAS, new byte[0]);
        message.u32(IFLA_MASTER, bridgeIndex);
        check(talk(message), "rtnetlink RTM_NEWLINK", hostName);
        LibC libc = NativeAccess.libc();
        byte[] ifreq = ifreq(insideName);
        ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(16, ARPHRD_ETHER);
        System.arraycopy(macBytes(mac), 0, ifreq, 18, 6);
        NativeAccess.check(libc.ioctl(netns.socketFd(), SIOCSIFHWADDR, ifreq), "ioctl SIOCSIFHWADDR", mac);
        configureInterface(netns.socketFd(), insideName, address, prefixLength, gateway);
    }

    /**
     * The link-info of an RTM_NEWLINK that makes a veth pair: its peer, named insideName (with
     * mac, unless null, for its address), is created straight in the namespace nsFd.
     */
    private static void vethPeer(Message message, String insideName, byte[] mac, int nsFd) {
        int linkInfo = message.begin(IFLA_LINKINFO);
        message.bytes(IFLA_INFO_KIND, "veth".getBytes(StandardCharsets.US_ASCII));
        int data = message.begin(IFLA_INFO_DATA);
        int peer = message.begin(VETH_INFO_PEER);
        message.ifinfo(0, 0);
        message.string(IFLA_IFNAME, insideName);
        if (mac != null) {
            message.bytes(IFLA_ADDRESS, mac);
        }
        message.u32(IFLA_NET_NS_FD, nsFd);
        message.end(peer);
        message.end(data);
        message.end(linkInfo);
    }

    private static void check(int error, String call, String name) throws IOException {
        if (error != 0) {
            throw new NativeCallException(call, name, error, NativeAccess.libc().strerror(error));
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Message message = new Message(RTM_DELLINK, (short) (NLM_F_REQUEST | NLM_F_ACK));
        message.ifinfo(0, 0);
        message.string(IFLA_IFNAME, name);
        int error = talk(message);
        if (error != 0 && error != ENODEV) {
            throw new NativeCallException("rtnetlink RTM_DELLINK", name, error, NativeAccess.libc().strerror(error));
        }
    }

    /** Sends one request on a fresh rtnetlink socket and returns the errno of its acknowledgement (0 for success). */
    private static int talk(Message message) throws IOException {
        LibC libc = NativeAccess.libc();
        int fd = (int) NativeAccess.check(libc.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), "socket", "AF_NETLINK");
        try {
            byte[] kernel = new byte[12];
            kernel[0] = AF_NETLINK;
            NativeAccess.check(libc.connect(fd, kernel, kernel.length), "connect", "rtnetlink");
            byte[] request = message.finish();
            NativeAccess.check(libc.send(fd, request, request.length, 0), "send", "rtnetlink");
            byte[] reply = new byte[8192];
            while (true) {
                long length = NativeAccess.check(libc.recv(fd, reply, reply.length, 0), "recv", "rtnetlink");
                ByteBuffer in = ByteBuffer.wrap(reply, 0, (int) length).order(ByteOrder.nativeOrder());
                while (in.remaining() >= 16) {
                    int start = in.position();
                    int messageLength = in.getInt(start);
                    short type = in.getShort(start + 4);
                    int sequence = in.getInt(start + 8);
                    if (type == NLMSG_ERROR && sequence == message.sequence) {
                        return -in.getInt(start + 16);
                    }
                    if (messageLength < 16) {
                        break;
                    }
                    in.position(start + align(messageLength));
                }
            }
        } finally {
            libc.close(fd);
        }
    }

    /** Address, netmask, up and default route of the interface; runs on a thread inside the namespace. */
    private static void configureInterface(String name, String address, int prefixLength, String gateway) throws IOException {
        LibC libc = NativeAccess.libc();
        int fd = (int) NativeAccess.check(libc.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket", "AF_INET");
        try {
            configureInterface(fd, name, address, prefixLength, gateway);
        } finally {
            libc.close(fd);
        }
    }

    /** The same through a socket made inside the namespace, from any thread. */
    private static void configureInterface(int fd, String name, String address, int prefixLength, String gateway) throws IOException {
        LibC libc = NativeAccess.libc();
        byte[] ifreq = ifreq(name);
        putSockaddr(ifreq, 16, ipv4(address));
        NativeAccess.check(libc.ioctl(fd, SIOCSIFADDR, ifreq), "ioctl SIOCSIFADDR", address);
        ifreq = ifreq(name);
        long mask = prefixLength == 0 ? 0 : 0xffffffffL << (32 - prefixLength);
        putSockaddr(ifreq, 16, new byte[] {(byte) (mask >> 24), (byte) (mask >> 16), (byte) (mask >> 8), (byte) mask});
        NativeAccess.check(libc.ioctl(fd, SIOCSIFNETMASK, ifreq), "ioctl SIOCSIFNETMASK", prefixLength);
        ifreq = ifreq(name);
        NativeAccess.check(libc.ioctl(fd, SIOCGIFFLAGS, ifreq), "ioctl SIOCGIFFLAGS", name);
        ifreq[16] |= IFF_UP;
        NativeAccess.check(libc.ioctl(fd, SIOCSIFFLAGS, ifreq), "ioctl SIOCSIFFLAGS", name);
        if (gateway == null) {
            return;
        }
        // struct rtentry (x86-64 and arm64): rt_dst at 8, rt_gateway at 24, rt_genmask at 40, rt_flags at 56.
        byte[] route = new byte[RTENTRY_SIZE];
        putSockaddr(route, 8, new byte[4]);
        putSockaddr(route, 24, ipv4(gateway));
        putSockaddr(route, 40, new byte[4]);
        ByteBuffer.wrap(route).order(ByteOrder.nativeOrder()).putShort(56, RTF_UP_GATEWAY);
        NativeAccess.check(libc.ioctl(fd, SIOCADDRT, route), "ioctl SIOCADDRT", gateway);
    }

    private interface NamespaceWork {
        void run() throws IOException;
    }

    /** setns(CLONE_NEWNET) changes the calling thread only: the work runs on a thread of its own that ends after. */
    private static void insideNamespace(Path netns, NamespaceWork work) throws IOException {
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            LibC libc = NativeAccess.libc();
            try {
                int fd = (int) NativeAccess.check(libc.open(netns.toString(), O_RDONLY_CLOEXEC, 0), "open", netns);
                try {
                    NativeAccess.check(libc.setns(fd, CLONE_NEWNET), "setns", netns);
                } finally {
                    libc.close(fd);
                }
                work.run();
            } catch (IOException e) {
                failure.set(e);
            }
        }, "berth-netns-config");
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while configuring " + netns);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static byte[] ifreq(String name) {
        byte[] ifreq = new byte[IFREQ_SIZE];
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
        return ifreq;
    }

    /** struct sockaddr_in: family in host order, port 0, the address in network order. */
    private static void putSockaddr(byte[] target, int offset, byte[] address) {
        ByteBuffer.wrap(target).order(ByteOrder.nativeOrder()).putShort(offset, (short) AF_INET);
        System.arraycopy(address, 0, target, offset + 4, 4);
    }

    private static byte[] ipv4(String address) {
        String[] parts = address.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return bytes;
    }

    private static byte[] macBytes(String mac) {
        String[] parts = mac.split(":");
        byte[] bytes = new byte[6];
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private static int align(int length) {
        return (length + 3) & ~3;
    }

    /** One netlink request: nlmsghdr, then the payload and attributes, each padded to 4 bytes. */
    private static final class Message {
        private final ByteBuffer buffer = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
        private final int sequence = SEQUENCE.incrementAndGet();

        Message(short type, short flags) {
            buffer.putInt(0).putShort(type).putShort(flags).putInt(sequence).putInt(0);
        }

        /** struct ifinfomsg: family, type and index 0, the flags to set and which of them change. */
        void ifinfo(int flags, int change) {
            ifinfo(0, flags, change);
        }

        /** struct ifinfomsg of an existing link, by index. */
        void ifinfo(int index, int flags, int change) {
            buffer.put((byte) 0).put((byte) 0).putShort((short) 0).putInt(index).putInt(flags).putInt(change);
        }

        void bytes(short type, byte[] value) {
            buffer.putShort((short) (4 + value.length)).putShort(type).put(value);
            pad();
        }

        void string(short type, String value) {
            byte[] text = value.getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = new byte[text.length + 1];
            System.arraycopy(text, 0, terminated, 0, text.length);
            bytes(type, terminated);
        }

        void u32(short type, int value) {
            buffer.putShort((short) 8).putShort(type).putInt(value);
        }

        int begin(short type) {
            int start = buffer.position();
            buffer.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
            return start;
        }

        void end(int start) {
            buffer.putShort(start, (short) (buffer.position() - start));
        }

        private void pad() {
            while (buffer.position() % 4 != 0) {
                buffer.put((byte) 0);
            }
        }

        byte[] finish() {
            buffer.putInt(0, buffer.position());
            byte[] bytes = new byte[buffer.position()];
            buffer.get(0, bytes);
            return bytes;
        }
    }
}
