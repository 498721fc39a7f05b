using System.Text;
using System.Text.Json;
using Herald.Audit.Spool;
using Herald.Audit.Stores;

namespace Herald.Audit;

/// <summary>
/// The audit store the server writes through. A write the store refuses goes to a spool file (one JSON
/// line each, flushed to disk) and <see cref="DrainSpoolAsync"/> moves it into the store later; records and
/// feedback keep their ids, so a retry stores each once. Only when the spool fails too does a write throw
/// <see cref="AuditUnavailableException"/>, and the server then withholds the answer (docs/audit.md).
/// One spool directory belongs to one server process.
/// </summary>
public sealed class DurableAuditWriter : IAuditStore
{
    public const string SpoolFileName = "audit-spool.jsonl";
    public const string RejectedFileName = "audit-spool.rejected.jsonl";
    private const string DrainingPattern = "audit-spool-*.draining";

    private static readonly UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    private readonly IAuditStore store;
    private readonly string spoolDirectory;
    private readonly TimeSpan storeRetryInterval;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim spoolLock = new(1, 1);
    private readonly SemaphoreSlim drainLock = new(1, 1);

    private int pending;
    private long spooled;
    private long drained;
    private long discarded;
    private volatile bool storeReachable = true;
    private volatile string? lastStoreError;
    private long lastStoreFailureTimestamp;

    /// <param name="store">The database behind the trail.</param>
    /// <param name="spoolDirectory">Where refused writes wait; created (owner-only) if missing.</param>
    /// <param name="storeRetryInterval">
    /// After a store failure, writes go straight to the spool for this long instead of waiting on a store that
    /// is down (default 5 seconds); <see cref="DrainSpoolAsync"/> always tries the store.
    /// </param>
    /// <param name="timeProvider">The clock for that interval.</param>
    public DurableAuditWriter(IAuditStore store, string spoolDirectory, TimeSpan? storeRetryInterval = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        this.store = store;
        this.spoolDirectory = Path.GetFullPath(spoolDirectory);
        this.storeRetryInterval = storeRetryInterval ?? TimeSpan.FromSeconds(5);
        time = timeProvider ?? TimeProvider.System;
        pending = CountSpooledLines();
    }

    public string SpoolDirectory => spoolDirectory;

    internal IAuditStore Inner => store;

    public AuditHealth Health => new(
        store is SqlAuditStore sql ? sql.Backend : store.GetType().Name,
        storeReachable,
        Volatile.Read(ref pending),
        Interlocked.Read(ref spooled),
        Interlocked.Read(ref drained),
        Interlocked.Read(ref discarded),
        lastStoreError);

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await store.EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            MarkReachable();
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            throw;
        }
    }

    /// <summary>Stores the record, or spools it; throws <see cref="AuditUnavailableException"/> when neither works.</summary>
    public async Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        Validate(record);
        if (await TryStoreAsync(() => store.AppendAsync(record, cancellationToken), cancellationToken).ConfigureAwait(false) is { } storeError)
        {
            await SpoolAsync(new SpoolLine(record, null), storeError).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stores the feedback and says whether a record of this caller produced the card. When the store is
    /// down, or when the store does not know the card while records wait in the spool, the feedback is spooled
    /// and this returns true; the ownership check then happens at drain, which discards feedback on another
    /// caller's card.
    /// </summary>
    public async Task<bool> AppendFeedbackAsync(AuditFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var accepted = false;
        if (await TryStoreAsync(async () => accepted = await store.AppendFeedbackAsync(feedback, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false) is { } storeError)
        {
            await SpoolAsync(new SpoolLine(null, feedback), storeError).ConfigureAwait(false);
            return true;
        }

        if (!accepted && Volatile.Read(ref pending) > 0)
        {
            // The card's record may still be waiting in the spool: queue the feedback behind it, to be
            // checked for ownership when both are drained.
            await SpoolAsync(new SpoolLine(null, feedback), new InvalidOperationException("The card's record may still be in the spool.")).ConfigureAwait(false);
            return true;
        }

        return accepted;
    }

    /// <summary>Reads from the store; throws <see cref="AuditUnavailableException"/> when it cannot be read.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        try
        {
            var entries = await store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            MarkReachable();
            return entries;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            throw new AuditUnavailableException("The audit store cannot be read.", e);
        }
    }

    /// <summary>
    /// Moves spooled records and feedback into the store, oldest first, and returns how many it stored.
    /// Stops at the first sign the store is still down and keeps the rest for the next call. A line the store
    /// refuses while the line after it is accepted is set aside in <see cref="RejectedFileName"/>, so one bad
    /// line never blocks the spool; so is a line that cannot be read (a write cut short by a crash).
    /// </summary>
    public async Task<int> DrainSpoolAsync(CancellationToken cancellationToken = default)
    {
        await drainLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ClaimSpoolFileAsync().ConfigureAwait(false);
            var total = 0;
            foreach (var file in DrainingFiles())
            {
                var (count, finished) = await DrainFileAsync(file, cancellationToken).ConfigureAwait(false);
                total += count;
                if (!finished)
                {
                    break;
                }
            }

            return total;
        }
        finally
        {
            drainLock.Release();
        }
    }

    private async Task<(int Drained, bool Finished)> DrainFileAsync(string file, CancellationToken cancellationToken)
    {
        var lines = File.ReadAllLines(file, Encoding.UTF8).Where(l => l.Length > 0).ToList();
        var stored = 0;
        int? suspect = null; // a line the store refused; the next line's outcome says whether the store or the line was at fault
        var next = 0;
        List<string> keep;
        try
        {
            for (; next < lines.Count; next++)
            {
                var line = Parse(lines[next]);
                if (line is null)
                {
                    await RejectAsync(lines[next]).ConfigureAwait(false);
                    continue;
                }

                var outcome = await ApplyAsync(line, cancellationToken).ConfigureAwait(false);
                if (outcome == LineOutcome.Failed)
                {
                    if (suspect is not null)
                    {
                        break; // two refusals in a row: the store is down
                    }

                    suspect = next;
                    continue;
                }

                if (suspect is { } refused)
                {
                    // The store took this line, so it was up: the earlier line is what it refuses.
                    await RejectAsync(lines[refused]).ConfigureAwait(false);
                    suspect = null;
                }

                if (outcome == LineOutcome.Stored)
                {
                    stored++;
                    Interlocked.Increment(ref drained);
                }
                else
                {
                    Interlocked.Increment(ref discarded);
                }
            }
        }
        finally
        {
            // Keep what is not handled yet, also when cancelled, so nothing is lost and nothing counted twice.
            keep = [];
            if (suspect is { } refused)
            {
                keep.Add(lines[refused]);
            }

            keep.AddRange(lines.Skip(next));
            if (keep.Count == 0)
            {
                File.Delete(file);
            }
            else
            {
                RewriteDurably(file, keep);
            }

            Interlocked.Add(ref pending, keep.Count - lines.Count);
        }

        return (stored, keep.Count == 0);
    }

    private enum LineOutcome
    {
        Stored,
        Discarded,
        Failed,
    }

    private async Task<LineOutcome> ApplyAsync(SpoolLine line, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = LineOutcome.Stored;
            if (line.Record is { } record)
            {
                await store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
            }
            else if (!await store.AppendFeedbackAsync(line.Feedback!, cancellationToken).ConfigureAwait(false))
            {
                // Feedback on a card no record of this caller produced: refused now as it would have been live.
                outcome = LineOutcome.Discarded;
            }

            MarkReachable();
            return outcome;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            return LineOutcome.Failed;
        }
    }

    private static SpoolLine? Parse(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, AuditJsonContext.Default.SpoolLine) is { } line &&
                   (line.Record is null) != (line.Feedback is null)
                ? line
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Runs a store call; returns the failure, or null when it worked.</summary>
    private async Task<Exception?> TryStoreAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        if (!storeReachable && lastStoreError is not null &&
            time.GetElapsedTime(Interlocked.Read(ref lastStoreFailureTimestamp)) < storeRetryInterval)
        {
            // The store failed a moment ago: do not make this answer wait for it again.
            return new InvalidOperationException($"The audit store failed within the last {storeRetryInterval.TotalSeconds:0.#} s: {lastStoreError}");
        }

        try
        {
            await call().ConfigureAwait(false);
            MarkReachable();
            return null;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            return e;
        }
    }

    private async Task SpoolAsync(SpoolLine line, Exception storeError)
    {
        var json = JsonSerializer.Serialize(line, AuditJsonContext.Default.SpoolLine);
        await spoolLock.WaitAsync().ConfigureAwait(false);
        try
        {
            AppendDurably(Path.Combine(spoolDirectory, SpoolFileName), json);
        }
        catch (Exception spoolError)
        {
            throw new AuditUnavailableException(
                "Neither the audit store nor the audit spool took the record.",
                new AggregateException(storeError, spoolError));
        }
        finally
        {
            spoolLock.Release();
        }

        Interlocked.Increment(ref spooled);
        Interlocked.Increment(ref pending);
    }

    private async Task RejectAsync(string text)
    {
        await spoolLock.WaitAsync().ConfigureAwait(false);
        try
        {
            AppendDurably(Path.Combine(spoolDirectory, RejectedFileName), text);
        }
        finally
        {
            spoolLock.Release();
        }

        Interlocked.Increment(ref discarded);
    }

    /// <summary>Takes the current spool file aside, so writes go on into a fresh one while it drains.</summary>
    private async Task ClaimSpoolFileAsync()
    {
        await spoolLock.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = Path.Combine(spoolDirectory, SpoolFileName);
            if (File.Exists(current))
            {
                File.Move(current, Path.Combine(spoolDirectory,
                    $"audit-spool-{time.GetUtcNow().UtcTicks:D20}-{Guid.NewGuid():N}.draining"));
            }
        }
        finally
        {
            spoolLock.Release();
        }
    }

    private IEnumerable<string> DrainingFiles() =>
        Directory.Exists(spoolDirectory)
            ? Directory.GetFiles(spoolDirectory, DrainingPattern).Order(StringComparer.Ordinal).ToList()
            : [];

    private int CountSpooledLines()
    {
        try
        {
            var current = Path.Combine(spoolDirectory, SpoolFileName);
            return DrainingFiles().Append(current).Where(File.Exists)
                .Sum(f => File.ReadLines(f, Encoding.UTF8).Count(l => l.Length > 0));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Appends one line and flushes it to disk before returning; the record is safe once this returns.</summary>
    private void AppendDurably(string path, string text)
    {
        using var stream = new FileStream(path, OwnerOnly(new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.Read,
        }));
        // A crash can leave a half-written last line; start on a new line so this record stays whole.
        if (stream.Length > 0)
        {
            stream.Seek(-1, SeekOrigin.End);
            if (stream.ReadByte() != '\n')
            {
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Seek(0, SeekOrigin.End);
        stream.Write(Encoding.UTF8.GetBytes(text + "\n"));
        stream.Flush(flushToDisk: true);
    }

    private void RewriteDurably(string path, IEnumerable<string> lines)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, OwnerOnly(new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
        })))
        {
            foreach (var line in lines)
            {
                stream.Write(Encoding.UTF8.GetBytes(line + "\n"));
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The spool holds full answers: only the server's own account may read it.</summary>
    private FileStreamOptions OwnerOnly(FileStreamOptions options)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(spoolDirectory);
        }
        else
        {
            Directory.CreateDirectory(spoolDirectory, OwnerOnlyDirectory);
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    private static void Validate(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Caller, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Service, nameof(record));
        ArgumentNullException.ThrowIfNull(record.CardIds, nameof(record));
    }

    /// <summary>Anything the store throws is a store failure, except the caller's own cancellation or bad arguments.</summary>
    private static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is not ArgumentException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    private void MarkReachable()
    {
        storeReachable = true;
    }

    private void MarkUnreachable(Exception e)
    {
        lastStoreError = $"{e.GetType().Name}: {e.Message}";
        Interlocked.Exchange(ref lastStoreFailureTimestamp, time.GetTimestamp());
        storeReachable = false;
    }
}
