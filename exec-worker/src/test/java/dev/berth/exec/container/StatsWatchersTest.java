package dev.berth.exec.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsWatchersTest {
    private final Container web = ContainerRegistryTest.container("a".repeat(64), "web");
    private final Container db = ContainerRegistryTest.container("b".repeat(64), "db");

    @Test
    void readsEachWatchedContainerOnceWhateverTheNumberOfWatchers() {
        StatsWatchers<String> watchers = new StatsWatchers<>();
        watchers.add(web, "client 1");
        watchers.add(web, "client 2");
        watchers.add(db, "client 3");
        assertThat(watchers.containers()).containsExactly(web, db);
        assertThat(watchers.watchersOf(web.id())).containsExactly("client 1", "client 2");
        assertThat(watchers.watchersOf(db.id())).containsExactly("client 3");
    }

    @Test
    void forgetsAContainerWhenItsLastWatcherLeaves() {
        StatsWatchers<String> watchers = new StatsWatchers<>();
        watchers.add(web, "client 1");
        watchers.add(web, "client 2");
        watchers.remove(web.id(), "client 1");
        assertThat(watchers.containers()).containsExactly(web);
        watchers.remove(web.id(), "client 2");
        assertThat(watchers.containers()).isEmpty();
        assertThat(watchers.isEmpty()).isTrue();
        assertThat(watchers.watchersOf(web.id())).isEmpty();
        watchers.remove(web.id(), "client 2"); // a second cancel changes nothing
        assertThat(watchers.isEmpty()).isTrue();
    }

    @Test
    void aWatcherLeavingWhileItsSampleIsHandedOutDoesNotDisturbTheOthers() {
        StatsWatchers<String> watchers = new StatsWatchers<>();
        watchers.add(web, "client 1");
        watchers.add(web, "client 2");
        int handed = 0;
        for (String watcher : watchers.watchersOf(web.id())) {
            watchers.remove(web.id(), "client 1");
            handed++;
        }
        assertThat(handed).isEqualTo(2);
        assertThat(watchers.watchersOf(web.id())).containsExactly("client 2");
    }
}
