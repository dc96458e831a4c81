package dev.berth.bus;

import java.util.function.Function;

/**
 * What every transport settles about a job before it sends it: its deadline (the default of its
 * type when the caller set none), its locality, and the node it goes to. Kept apart from any
 * transport so that each one places jobs by the same rules.
 */
public final class JobAddressing {
    private JobAddressing() {
    }

    /**
     * The job as it goes on the wire.
     *
     * @param callerNode the node the caller runs on
     * @param knownTypes the typed kinds this bus knows by name (null for an unknown name)
     * @throws EngineException INTERNAL for a node-local job addressed to another node: its
     *         arguments or reply name host paths that mean nothing there
     */
    public static Job resolve(Job job, String callerNode, Function<String, JobType<?, ?>> knownTypes, long nowMillis) {
        JobType<?, ?> type = knownTypes.apply(job.type());
        Job resolved = job;
        if (!resolved.hasDeadline()) {
            resolved = resolved.withDeadline(nowMillis + (type != null ? type.deadline() : JobType.DEFAULT_DEADLINE).toMillis());
        }
        if (resolved.locality() == null) {
            resolved = resolved.withLocality(type != null ? type.locality() : Locality.ANY_NODE);
        }
        if (resolved.locality() == Locality.NODE_LOCAL) {
            if (resolved.node() == null) {
                resolved = resolved.onNode(callerNode);
            } else if (!resolved.node().equals(callerNode)) {
                throw new EngineException(ErrorKind.INTERNAL, "job " + job.type() + " is node-local: node " + callerNode
                        + " may not send it to node " + resolved.node() + ", where the host paths it names do not exist");
            }
        }
        return resolved;
    }
}
