package dev.berth.bus.contract.event;

import dev.berth.bus.JobType;
import dev.berth.bus.WorkerKind;

/** The jobs of the event journal, which the log worker keeps. */
public final class EventJobTypes {
    /**
     * Stream. Accepted with {@link EventsAccepted} once the filters are valid (INVALID_ARGUMENT
     * "invalid filter 'x'" otherwise); worker → caller: {@link EventLines}, oldest first. Ends
     * once past {@code until}; without it, only when the caller cancels. A caller that falls so
     * far behind that the journal dropped events it had not read yet gets a failure naming them.
     */
    public static final JobType<ReadEvents, EventsAccepted> READ =
            JobType.stream("events.read", WorkerKind.LOGS, ReadEvents.class, EventsAccepted.class);

    private EventJobTypes() {
    }
}
