package dev.berth.log.event;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.contract.event.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The recent past of the engine's events, bounded: a ring of the last {@code capacity} events,
 * numbered from 1 in the order they arrived. Readers keep a cursor (the next sequence number
 * they want) instead of a queue of their own, so a slow reader costs no memory: it reads from
 * the ring when it can, and learns that it fell behind when the ring has moved past its cursor.
 * Thread-safe; listeners are told of each append on the appending thread.
 */
public final class EventJournal {
    /** Local until Berth has objects that span the cluster. */
    static final String SCOPE = "local";

    private final Event[] ring;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private long next = 1;

    public EventJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("an event journal needs room for one event");
        }
        ring = new Event[capacity];
    }

    /** The events from {@code from} on, at most {@code max}, and how many before them are gone. */
    public record Slice(List<Event> events, long missed) {
    }

    public Event append(EngineEvent happened) {
        Event event;
        synchronized (this) {
            event = new Event(happened.type(), happened.action(), new Event.Actor(happened.actorId(), happened.attributes()),
                    SCOPE, happened.timeNanos(), happened.node(), next);
            ring[(int) (next % ring.length)] = event;
            next++;
        }
        listeners.forEach(Runnable::run);
        return event;
    }

    public synchronized long nextSequence() {
        return next;
    }

    public synchronized long oldestSequence() {
        return Math.max(1, next - ring.length);
    }

    /** The first kept event at or after {@code timeNano}, or the next sequence when there is none. */
    public synchronized long firstAt(long timeNano) {
        for (long seq = oldestSequence(); seq < next; seq++) {
            if (at(seq).timeNano() >= timeNano) {
                return seq;
            }
        }
        return next;
    }

    public synchronized Slice from(long sequence, int max) {
        long oldest = oldestSequence();
        long missed = Math.max(0, oldest - sequence);
        List<Event> events = new ArrayList<>();
        for (long seq = Math.max(sequence, oldest); seq < next && events.size() < max; seq++) {
            events.add(at(seq));
        }
        return new Slice(events, missed);
    }

    /** Runs {@code listener} after each append; the returned action stops that. */
    public Runnable onAppend(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private Event at(long sequence) {
        return ring[(int) (sequence % ring.length)];
    }
}
