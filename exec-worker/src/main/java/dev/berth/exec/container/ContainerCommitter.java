package dev.berth.exec.container;

import dev.berth.bus.EngineException;
import dev.berth.bus.contract.container.CommitContainer;
import dev.berth.bus.contract.container.ContainerView;
import dev.berth.bus.contract.image.CommitImage;
import dev.berth.bus.contract.image.CommittedImage;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@code docker commit} as one job: pause the running container (unless pause=false), have this
 * node's graph worker copy its snapshot's changes into an image, and unpause it whatever the
 * copy's outcome, as dockerd does. The exec worker owns the whole sequence, so a caller that goes
 * away (a gateway on another host) cannot leave the container paused; a berthd that dies in the
 * middle leaves a mark that the restore acts on ({@link ContainerPauser}).
 */
final class ContainerCommitter {
    private final LifecycleContext context;
    private final ContainerPauser pauser;

    ContainerCommitter(LifecycleContext context, ContainerPauser pauser) {
        this.context = context;
        this.pauser = pauser;
    }

    CompletableFuture<CommittedImage> commit(Container c, CommitContainer args) {
        CompletableFuture<Boolean> paused = args.pause() ? pauser.pauseForCommit(c) : CompletableFuture.completedFuture(false);
        return paused.thenCompose(didPause -> {
            ContainerView view = c.view(null); // what a commit sends names no driver
            // dockerd's order of events: pause, commit, unpause
            CompletableFuture<CommittedImage> committed = context.peers.commitImage(new CommitImage(view.id(), view.config(),
                    args.changes(), args.comment(), args.author(), args.repo(), args.tag(), view.runtimeMountPoints()))
                    .thenApply(image -> {
                        context.publish(c, "commit", Map.of("comment", Objects.requireNonNullElse(args.comment(), ""),
                                "imageID", image.id(), "imageRef", Objects.requireNonNullElse(image.reference(), "")));
                        return image;
                    });
            if (!didPause) {
                return committed;
            }
            return committed.handle((image, failure) -> pauser.unpauseAfterCommit(c).handle((v, unpauseFailure) -> {
                if (failure != null) {
                    throw EngineException.from(failure);
                }
                if (unpauseFailure != null) {
                    throw EngineException.from(unpauseFailure);
                }
                return image;
            })).thenCompose(next -> next);
        });
    }
}
