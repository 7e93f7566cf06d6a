/**
 * Scratch spaces: managed, mutable, per-owner cache directories with usage tracking and
 * garbage collection. This package is the Spring-free core; it depends on the JDK, tomlj,
 * Apache Commons Compress (artifact archives) and the jspecify annotations only.
 *
 * <h2>The public API</h2>
 *
 * {@link dev.scratchspace.ScratchSpaceManager} is the façade: every operation on a depot
 * starts there, and no other class of the package calls back into it (an ArchUnit rule in the
 * tests keeps it so, and keeps the classes free of cycles). The values it takes and returns are
 * {@link dev.scratchspace.ScratchOwner}, {@link dev.scratchspace.ScratchSpace},
 * {@link dev.scratchspace.GcOptions}, {@link dev.scratchspace.GcReport},
 * {@link dev.scratchspace.GcDecision} and {@link dev.scratchspace.Populator}.
 * {@link dev.scratchspace.ScratchKeys} (the key and owner-UUID rules) and
 * {@link dev.scratchspace.RangeChecks} (the range rules of settings) are public so that
 * adapters reject what the core rejects, with the same words.
 *
 * <h2>Who owns which file of the depot</h2>
 *
 * {@link dev.scratchspace.DepotLayout} names every path; these classes read and write them:
 *
 * <table>
 * <caption>Files of a depot and their owners</caption>
 * <tr><th>File</th><th>Written by</th><th>Read by</th></tr>
 * <tr><td>{@code scratchspaces/<owner-uuid>/<key>/}</td>
 * <td>{@code SpacesDirectory} creates spaces (the manager's or a view's directory, with
 * {@code CACHEDIR.TAG} in the depot's own); the manager populates and deletes them;
 * {@code CollectionRun} deletes the collected ones and empty owner directories</td>
 * <td>{@code SpaceListing}, for the inventory and garbage collection: what it lists is all
 * that a collection may delete</td></tr>
 * <tr><td>{@code logs/scratch_usage.toml}</td>
 * <td>{@code ManagerState} appends one entry per access ({@code UsageLog} formats it);
 * {@code CollectionRun} rewrites it condensed, within the limits of its reader, and appends
 * again what a writer without the lock (Julia) appended to the old file meanwhile</td>
 * <td>{@code UsageLogReader}, with {@code TomlScanner}, {@code SpaceAggregates} and
 * {@code TomljFallback}</td></tr>
 * <tr><td>{@code logs/orphaned.toml}</td><td>{@code CollectionRun}, formatted by
 * {@code Orphanage}</td><td>{@code Orphanage}</td></tr>
 * <tr><td>{@code logs/owners.toml}</td><td>{@code ManagerState}, once per owner per manager,
 * formatted by {@code OwnerIndex}</td><td>{@code OwnerIndex}</td></tr>
 * <tr><td>{@code logs/scratch_usage.toml.lock}</td>
 * <td colspan="2">{@code FileMutex}, held through {@code ManagerState.underLogLock} by every
 * writer of a file in {@code logs/}</td></tr>
 * <tr><td>{@code logs/gc.lock}</td><td colspan="2">{@code FileMutex}, taken by
 * {@code CollectionRun}: one collection at a time</td></tr>
 * <tr><td>{@code logs/*.tmp-*}, {@code logs/*.damaged-*}</td>
 * <td colspan="2">{@code DepotFiles.replaceAtomically} writes a temporary and moves it into
 * place; {@code CollectionRun} removes stale temporaries (only names of that form) and keeps a
 * copy of a damaged log</td></tr>
 * <tr><td>{@code leases/<pid>-<random>.lease}</td><td>{@code Lease}, one per live manager,
 * locked for its life</td><td>{@code Lease.scan}, which removes the leases of dead
 * processes during a collection</td></tr>
 * <tr><td>{@code staging/<uuid>.<key>.<random>/}, {@code staging/<uuid>.<key>.lock}</td>
 * <td>the manager's {@code getOrPopulate}, under that {@code FileMutex}</td>
 * <td>{@code CollectionRun}, which removes staging directories of exactly that form whose lock
 * is free</td></tr>
 * <tr><td>{@code artifacts/<tree-hash>/}, {@code staging/artifact.<random>/}</td><td>{@code Artifacts}
 * builds in staging, names by {@code TreeHash}, makes read-only and renames into place; a crashed
 * build's staging directory is not swept yet</td><td>{@code Artifacts} ({@code path},
 * {@code verify})</td></tr>
 * </table>
 *
 * <h2>Who calls whom</h2>
 *
 * <pre>
 * ScratchSpaceManager (façade; its Builder finds the depot with DepotLocator, which refuses a
 *                     directory that is not a depot)
 *  ├─ ManagerState      shared by a manager and its views: settings, Lease, log and gc locks,
 *  │                    appends to the usage log, the owner index, the modification count
 *  ├─ SpacesDirectory   creates spaces in the manager's or a view's directory
 *  ├─ InventoryScan     spaces(): SpaceListing, UsageLogReader, Orphanage, OwnerIndex,
 *  │                    Lease.scan, ProjectCheck, DepotFiles.sizeAndCount
 *  └─ CollectionRun     collectGarbage(): the same readers, then marking, the size bound,
 *                       deleting, and the rewrites of the usage log and the orphanage
 * ScratchOwner.forClass ─ ArtifactLocator (finds coordinates; ScratchOwner makes the owner)
 * Below all of them: DepotFiles (safe file operations), RegularFiles (opens the depot's own
 * files so that nothing put in their place can block), FileMutex, ScratchKeys, MessageText,
 * and the TOML layer (TomlScanner, TomlText, ByteLines, ByteSearch, BoundedWarnings).
 * </pre>
 *
 * Nothing waits without bound: every lock wait ends at the manager's {@code lockTimeout}, and
 * a depot file that is not a regular file is refused, never opened in a way that may block
 * (RELIABILITY.md, "Nothing blocks forever; read-only depots").
 *
 * Readers never fail on bad content: what they skip comes back as warnings, which garbage
 * collection puts in its {@link dev.scratchspace.GcReport}. {@code System.Logger} is used only
 * where no caller can take a warning (a damaged owner index met while recording an access; an
 * access that could not be leased or recorded because a lock was held too long, a depot file
 * is not a regular file, or the depot is read-only: once per manager and cause) and for debug
 * lines (the artifact lookup, a collection's summary).
 */
@NullMarked
package dev.scratchspace;

import org.jspecify.annotations.NullMarked;
