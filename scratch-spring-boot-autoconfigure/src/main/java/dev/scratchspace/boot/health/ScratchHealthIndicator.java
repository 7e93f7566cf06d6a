package dev.scratchspace.boot.health;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import dev.scratchspace.boot.actuate.ScratchInventory;
import dev.scratchspace.boot.actuate.ScratchInventory.Snapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.unit.DataSize;

/**
 * Health of the depot: UP with details {@code depot}, {@code readOnly}, {@code freeBytes}
 * (usable space in the depot's file system), {@code totalBytes} (the size of all spaces),
 * {@code spaces} (how many), {@code artifacts} (how many installed artifacts),
 * {@code artifactBytes} (their size) and {@code sizesAsOf} (when those were measured); DOWN when
 * the depot cannot be created, or the free space is below the minimum.
 *
 * <p>A depot that cannot be written (a read-only mount, or no permission) is UP with
 * {@code readOnly: true} and a {@code warning}: it still serves its existing spaces, without
 * leases or usage tracking, but no new space can be created in it. Writability is probed by
 * creating and deleting one empty file in {@code logs/}, named like the temporaries that
 * garbage collection sweeps there: permission bits say nothing for root or on a read-only
 * mount.
 *
 * <p>A check never does I/O in proportion to the depot, so that a probe answers at once on a
 * slow disk too: {@code totalBytes}, {@code spaces}, {@code artifacts}, {@code artifactBytes}
 * and {@code sizesAsOf} come from the
 * {@link ScratchInventory}'s snapshot, measured in the background, and are absent until its
 * first walk has completed. The snapshot's age does not change the status.
 *
 * <p>A missing depot is created (owner-only, as the manager would on first use), so that a
 * depot that can never be created shows before the first space is asked for.
 */
public class ScratchHealthIndicator extends AbstractHealthIndicator {

	private final ScratchInventory inventory;

	private final DataSize minFreeSpace;

	/**
	 * Creates the indicator.
	 * @param inventory the spaces of the manager
	 * @param minFreeSpace the free space below which the depot is DOWN
	 */
	public ScratchHealthIndicator(ScratchInventory inventory, DataSize minFreeSpace) {
		super("Scratch space health check failed");
		this.inventory = Objects.requireNonNull(inventory, "'inventory' must not be null");
		this.minFreeSpace = Objects.requireNonNull(minFreeSpace, "'minFreeSpace' must not be null");
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws IOException {
		Path depot = this.inventory.manager().depot();
		builder.withDetail("depot", depot.toString());
		String problem = usability(depot);
		if (problem != null) {
			builder.down().withDetail("error", problem);
			return;
		}
		String readOnly = readOnly(depot);
		builder.withDetail("readOnly", readOnly != null);
		if (readOnly != null) {
			builder.withDetail("warning", "The depot is read-only (" + readOnly + "): existing spaces are served "
					+ "without leases or usage tracking, and no new space can be created");
		}
		long freeBytes = Files.getFileStore(depot).getUsableSpace();
		builder.withDetail("freeBytes", freeBytes);
		Snapshot snapshot = this.inventory.snapshot();
		if (snapshot != null) {
			builder.withDetail("totalBytes", snapshot.totalBytes())
				.withDetail("spaces", snapshot.spaceCount())
				.withDetail("artifacts", snapshot.artifactCount())
				.withDetail("artifactBytes", snapshot.artifactBytes())
				.withDetail("sizesAsOf", snapshot.asOf().toString());
		}
		if (freeBytes < this.minFreeSpace.toBytes()) {
			builder.down()
				.withDetail("error", "Free space " + freeBytes + " bytes is below the minimum of "
						+ this.minFreeSpace.toBytes() + " bytes (management.health.scratch.min-free-space)");
			return;
		}
		builder.up();
	}

	private static @Nullable String usability(Path depot) {
		if (!Files.isDirectory(depot)) {
			try {
				boolean posix = depot.getFileSystem().supportedFileAttributeViews().contains("posix");
				if (posix) {
					Files.createDirectories(depot, PosixFilePermissions.asFileAttribute(
							PosixFilePermissions.fromString("rwx------")));
				}
				else {
					Files.createDirectories(depot);
				}
			}
			catch (FileAlreadyExistsException ex) {
				return "Cannot create depot " + depot + ": " + ex.getFile() + " exists but is not a directory";
			}
			catch (IOException ex) {
				return "Cannot create depot " + depot + ": " + ex;
			}
		}
		return null;
	}

	/** @return why the depot cannot be written, or {@code null} if it can */
	private static @Nullable String readOnly(Path depot) throws IOException {
		Path logs = depot.resolve("logs");
		try {
			if (!Files.isDirectory(logs, LinkOption.NOFOLLOW_LINKS)) {
				Files.createDirectory(logs);
			}
			Path probe = logs.resolve("scratch_usage.toml.tmp-" + ProcessHandle.current().pid() + "-"
					+ HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
			Files.createFile(probe);
			Files.deleteIfExists(probe);
			return null;
		}
		catch (FileAlreadyExistsException ex) {
			// logs/ made meanwhile, or a random name taken: not a sign of a read-only depot.
			return null;
		}
		catch (AccessDeniedException ex) {
			return "permission denied";
		}
		catch (FileSystemException ex) {
			if (ex.getReason() != null && ex.getReason().contains("Read-only file system")) {
				return ex.getReason();
			}
			throw ex;
		}
	}

}
