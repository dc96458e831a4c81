/**
 * The graph worker: images, their layers, and the root file systems of containers.
 *
 * <h2>On-disk layout, version {@value dev.berth.graph.Graph#LAYOUT_VERSION}</h2>
 *
 * Everything lives under {@link dev.berth.graph.GraphOptions#root()} (data-root/image):
 *
 * <pre>
 * graph.db, graph.db-wal, graph.db-shm
 *                         SQLite (WAL): layers, images, refs (tags and digests, familiar form),
 *                         snapshots, meta (schema_version, layout_version)
 * content/blobs/sha256/&lt;hex&gt;
 *                         verified blobs: image configs (named by image id) and the uncompressed
 *                         tar of every layer (named by diff id), kept for save
 * content/ingest/&lt;uuid&gt;  blobs being written; renamed into blobs/ once verified; emptied at start
 * layers/&lt;chain hex&gt;/diff
 *                         one unpacked layer per chain id, in overlay form (whiteouts as 0/0
 *                         character devices, opaque directories with trusted.overlay.opaque=y)
 * layers/.tmp-&lt;uuid&gt;/    a layer being unpacked; renamed to layers/&lt;chain hex&gt; when complete
 * layers/.trash-&lt;uuid&gt;/  a layer being deleted
 * l/&lt;20 hex&gt;            symlink to ../layers/&lt;chain hex&gt;/diff: short lowerdir entries
 * snapshots/&lt;container id&gt;/{upper,work,merged}
 *                         a container's writable layer, overlay's work directory and the mount
 *                         point of its root file system ({@code merged}); {@code empty} stands in
 *                         as the lower directory of an image without layers
 * </pre>
 *
 * <p>A change to this layout bumps {@code LAYOUT_VERSION}; a daemon refuses a root written with a
 * newer one. Temporary and trashed entries, ingest files, layer directories without a row and
 * snapshot directories without a row are removed at start, then unreferenced layers and blobs
 * are collected.
 */
package dev.berth.graph;
