package dev.berth.graph.layer;

import dev.berth.graph.content.Digest;
import java.util.ArrayList;
import java.util.List;

/**
 * Chain ids name a layer together with everything below it: ChainID(L0) = DiffID(L0), and
 * ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln)), hashed over the
 * "sha256:&lt;hex&gt;" texts. Two images that share a base share its chain ids, hence its
 * unpacked layers.
 */
public final class ChainId {
    private ChainId() {
    }

    public static Digest next(Digest parentChain, Digest diffId) {
        return parentChain == null ? diffId : Digest.of(parentChain + " " + diffId);
    }

    /** The chain id of each prefix of diffIds, bottom first. */
    public static List<Digest> of(List<Digest> diffIds) {
        List<Digest> chains = new ArrayList<>(diffIds.size());
        Digest chain = null;
        for (Digest diffId : diffIds) {
            chain = next(chain, diffId);
            chains.add(chain);
        }
        return chains;
    }

    /** The chain id of the whole stack, or null for an image without layers. */
    public static Digest top(List<Digest> diffIds) {
        List<Digest> chains = of(diffIds);
        return chains.isEmpty() ? null : chains.get(chains.size() - 1);
    }
}
