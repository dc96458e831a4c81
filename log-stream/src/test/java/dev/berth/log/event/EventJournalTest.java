package dev.berth.log.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.bus.EngineEvent;
import dev.berth.bus.contract.event.Event;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Numbering, the bound, and what a reader learns when it fell behind. */
class EventJournalTest {
    private static EngineEvent at(long time) {
        return new EngineEvent("container", "start", "c" + time, Map.of("name", "x"), time, "n1");
    }

    @Test
    void eventsAreNumberedFromOneAndKeepTheirNode() {
        EventJournal journal = new EventJournal(4);
        Event first = journal.append(at(10));
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.node()).isEqualTo("n1");
        assertThat(first.scope()).isEqualTo("local");
        assertThat(first.actor().id()).isEqualTo("c10");
        assertThat(journal.append(at(20)).sequence()).isEqualTo(2);
        assertThat(journal.nextSequence()).isEqualTo(3);
        assertThat(journal.from(1, 10).events()).extracting(Event::timeNano).containsExactly(10L, 20L);
        assertThat(journal.from(2, 10).events()).extracting(Event::timeNano).containsExactly(20L);
        assertThat(journal.from(3, 10).events()).isEmpty();
        assertThat(journal.from(1, 1).events()).hasSize(1);
    }

    @Test
    void theJournalKeepsOnlyTheLastEventsAndCountsWhatAReaderMissed() {
        EventJournal journal = new EventJournal(4);
        for (long t = 1; t <= 10; t++) {
            journal.append(at(t));
        }
        assertThat(journal.oldestSequence()).isEqualTo(7);
        EventJournal.Slice slice = journal.from(3, 10);
        assertThat(slice.missed()).isEqualTo(4);
        assertThat(slice.events()).extracting(Event::sequence).containsExactly(7L, 8L, 9L, 10L);
        assertThat(journal.from(7, 10).missed()).isZero();
    }

    @Test
    void firstAtFindsTheFirstKeptEventAtOrAfterATime() {
        EventJournal journal = new EventJournal(8);
        journal.append(at(10));
        journal.append(at(20));
        journal.append(at(30));
        assertThat(journal.firstAt(0)).isEqualTo(1);
        assertThat(journal.firstAt(20)).isEqualTo(2);
        assertThat(journal.firstAt(21)).isEqualTo(3);
        assertThat(journal.firstAt(31)).isEqualTo(4);
    }

    @Test
    void listenersHearEachAppendUntilTheyStop() {
        EventJournal journal = new EventJournal(2);
        AtomicInteger heard = new AtomicInteger();
        Runnable stop = journal.onAppend(heard::incrementAndGet);
        journal.append(at(1));
        stop.run();
        journal.append(at(2));
        assertThat(heard).hasValue(1);
    }
}
