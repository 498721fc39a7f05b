using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Herald.Audit.Spool;
using Herald.Audit.Stores;

namespace Herald.Audit;

/// <summary>
/// The audit trail the server writes through. A call's writes join a bounded queue; one loop takes everything waiting
/// (up to <see cref="AuditQueueOptions.MaxBatch"/>) and commits it in one transaction, so many answers share one flush
/// to disk (group commit), and each call returns only once its writes are committed. A full queue refuses the call
/// (<see cref="AuditBusyException"/>). A batch the store refuses, or does not take within
/// <see cref="AuditQueueOptions.StoreTimeout"/>, goes to the spool (one line each, flushed to disk once for the batch)
/// and <see cref="DrainSpoolAsync"/> moves it into the store later; records and feedback keep their ids, so a retry
/// stores each once. Only when the spool fails too does a call throw <see cref="AuditUnavailableException"/>, and the
/// server then withholds the answer (docs/audit.md). One spool directory belongs to one server process.
/// </summary>
public sealed partial class DurableAuditWriter : IAsyncDisposable, IDisposable
{
    public const string SpoolFileName = AuditSpool.SpoolFileName;
    public const string RejectedFileName = AuditSpool.RejectedFileName;

    private readonly IAuditStore store;
    private readonly AuditSpool spool;
    private readonly AuditQueueOptions options;
    private readonly TimeProvider time;
    private readonly Channel<Pending> queue;
    private readonly Channel<bool> drainWanted = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim drainLock = new(1, 1);
    private readonly Task loop;

    private int pending;
    private long spooled;
    private long drained;
    private long discarded;
    private long commits;
    private long refused;
    private volatile bool storeReachable = true;
    private volatile string? lastStoreError;
    private long lastStoreFailureTimestamp;

    /// <param name="store">The database behind the trail.</param>
    /// <param name="spoolDirectory">
    /// Where refused writes wait; created (owner-only) if missing, and held by this writer until it is disposed.
    /// </param>
    /// <exception cref="AuditSpoolInUseException">Another process (or another writer) holds the spool directory.</exception>
    /// <param name="options">The queue's bound, the batch size, the store timeout and retry interval.</param>
    /// <param name="timeProvider">The clock for the retry interval and the spool's file names.</param>
    public DurableAuditWriter(IAuditStore store, string spoolDirectory, AuditQueueOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(spoolDirectory);
        this.options = options ?? new AuditQueueOptions();
        if (this.options.Validate() is { Count: > 0 } faults)
        {
            throw new ArgumentException("Invalid audit queue options: " + string.Join("; ", faults), nameof(options));
        }

        this.store = store;
        time = timeProvider ?? TimeProvider.System;
        spool = new AuditSpool(spoolDirectory, time);
        pending = spool.CountLines();
        queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(this.options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: the call is refused, never waits unbounded
            SingleReader = true,
        });
        loop = Task.Run(RunAsync);
    }

    public string SpoolDirectory => spool.Directory;

    /// <summary>
    /// Called from the commit loop after each group-commit transaction the store was asked to run (the server's
    /// metrics); it must be quick and must not throw. Not called for a batch sent straight to the spool.
    /// </summary>
    public Action<AuditCommitTiming>? CommitTimed { get; init; }

    internal IAuditStore Inner => store;

    /// <summary>The trail's state now; a database known to be wrong (its file deleted) is unreachable before anything fails on it.</summary>
    public AuditHealth Health => (store as SqlAuditStore)?.Problem is { } problem
        ? Snapshot(false, problem)
        : Snapshot(storeReachable, lastStoreError);

    private AuditHealth Snapshot(bool reachable, string? error) => new(
        store is SqlAuditStore sql ? sql.Backend : store.GetType().Name,
        reachable,
        Volatile.Read(ref pending),
        Interlocked.Read(ref spooled),
        Interlocked.Read(ref drained),
        Interlocked.Read(ref discarded),
        error,
        queue.Reader.Count,
        options.Capacity,
        Interlocked.Read(ref commits),
        Interlocked.Read(ref refused));

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

    /// <summary>
    /// Returns once the record is committed or spooled. Throws <see cref="AuditBusyException"/> when the queue is full
    /// and <see cref="AuditUnavailableException"/> when neither the store nor the spool took it.
    /// </summary>
    public async Task AppendAsync(AuditRecord record)
    {
        Validate(record);
        await EnqueueAsync([AuditWrite.Of(record)]).ConfigureAwait(false);
    }

    /// <summary>One piece of feedback; see <see cref="AppendFeedbackAsync(IReadOnlyList{AuditFeedback})"/>.</summary>
    public async Task<bool> AppendFeedbackAsync(AuditFeedback feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return (await AppendFeedbackAsync([feedback]).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// Stores one request's feedback in one transaction and says, for each, whether a record of this caller produced
    /// the card. When the store is down, or when it does not know the card while records wait in the spool, the
    /// feedback is spooled and reported true; the ownership check then happens at drain, which discards feedback on
    /// another caller's card.
    /// </summary>
    public async Task<IReadOnlyList<bool>> AppendFeedbackAsync(IReadOnlyList<AuditFeedback> feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        if (feedback.Count == 0)
        {
            return [];
        }

        return await EnqueueAsync(feedback.Select(AuditWrite.Of).ToArray()).ConfigureAwait(false);
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
    /// Completes when a drain is worth trying now: a commit reached the store while lines wait in the spool. The server's
    /// drainer waits on this besides its timer, so the spool empties as soon as the store is back, without a restart.
    /// </summary>
    public ValueTask<bool> DrainWantedAsync(CancellationToken cancellationToken) => drainWanted.Reader.ReadAsync(cancellationToken);

    /// <summary>
    /// Moves spooled records and feedback into the store, oldest first, <see cref="AuditQueueOptions.MaxBatch"/> lines per
    /// transaction, and returns how many it stored. Stops at the first sign the store is still down and keeps the rest
    /// for the next call. A line the store refuses while the line after it is accepted is set aside in
    /// <see cref="RejectedFileName"/>, so one bad line never blocks the spool; so is a line that cannot be read (a write
    /// cut short by a crash).
    /// </summary>
    public async Task<int> DrainSpoolAsync(CancellationToken cancellationToken = default)
    {
        await drainLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await spool.ClaimAsync().ConfigureAwait(false);
            var total = 0;
            foreach (var file in spool.DrainingFiles())
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

    /// <summary>Stops taking writes and waits for the queued ones to be committed or spooled.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop.ConfigureAwait(false);
        spool.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose()
    {
        queue.Writer.TryComplete();
        loop.GetAwaiter().GetResult();
        spool.Dispose();
    }

    private async Task<bool[]> EnqueueAsync(AuditWrite[] writes)
    {
        var call = new Pending(writes);
        if (!queue.Writer.TryWrite(call))
        {
            Interlocked.Increment(ref refused);
            throw new AuditBusyException($"The audit queue is full ({options.Capacity} calls wait for their records to be committed).");
        }

        return await call.Done.Task.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>();
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var writes = 0;
            while (writes < options.MaxBatch && queue.Reader.TryRead(out var call))
            {
                batch.Add(call);
                writes += call.Writes.Length;
            }

            try
            {
                await CommitAsync(batch).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Never leave a caller waiting: whatever went wrong is that caller's failure, and the loop goes on.
                foreach (var call in batch)
                {
                    call.Done.TrySetException(e);
                }
            }
        }
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        var writes = batch.SelectMany(c => c.Writes).ToArray();
        var (results, storeError) = await TryStoreAsync(writes).ConfigureAwait(false);
        if (results is null)
        {
            if (await TrySpoolAsync(writes, storeError!, batch).ConfigureAwait(false))
            {
                Complete(batch, Enumerable.Repeat(true, writes.Length).ToArray());
            }

            return;
        }

        Interlocked.Increment(ref commits);
        if (Volatile.Read(ref pending) > 0)
        {
            // Feedback on a card the store does not know while records wait in the spool: the card's record may be
            // there. Queue the feedback behind it, to be checked for ownership when both are drained.
            var late = Enumerable.Range(0, writes.Length).Where(i => writes[i].Feedback is not null && !results[i]).ToArray();
            if (late.Length > 0)
            {
                if (!await TrySpoolAsync(late.Select(i => writes[i]).ToArray(), new InvalidOperationException("The card's record may still be in the spool."), batch)
                        .ConfigureAwait(false))
                {
                    return;
                }

                foreach (var i in late)
                {
                    results[i] = true;
                }
            }

            drainWanted.Writer.TryWrite(true);
        }

        Complete(batch, results);
    }

    /// <summary>One transaction for all the writes: the results, or why the store did not take them (failed, timed out, or failed a moment ago).</summary>
    private async Task<(bool[]? Results, Exception? Error)> TryStoreAsync(AuditWrite[] writes)
    {
        if (!storeReachable && lastStoreError is not null &&
            time.GetElapsedTime(Interlocked.Read(ref lastStoreFailureTimestamp)) < options.StoreRetryInterval)
        {
            // The store failed a moment ago: do not make these answers wait for it again.
            return (null, new InvalidOperationException(
                $"The audit store failed within the last {options.StoreRetryInterval.TotalSeconds:0.#} s: {lastStoreError}"));
        }

        // Real time, whatever the clock: a bound on how long answers wait, not part of the record. The wait ends at the
        // timeout even if the store ignores the cancellation (a hung connection); should that write commit after all,
        // the spooled copy is stored once, as ids are kept.
        using var timeout = new CancellationTokenSource(options.StoreTimeout);
        var started = Stopwatch.GetTimestamp();
        bool[] stored;
        try
        {
            stored = (await store.WriteAsync(writes, timeout.Token).WaitAsync(options.StoreTimeout).ConfigureAwait(false)).ToArray();
            MarkReachable();
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            CommitTimed?.Invoke(new AuditCommitTiming(Stopwatch.GetElapsedTime(started), writes.Length, Committed: false));
            var error = e is TimeoutException || (e is OperationCanceledException && timeout.IsCancellationRequested)
                ? new TimeoutException($"The audit store did not commit within {options.StoreTimeout.TotalMilliseconds:0} ms.", e)
                : e;
            MarkUnreachable(error);
            return (null, error);
        }

        CommitTimed?.Invoke(new AuditCommitTiming(Stopwatch.GetElapsedTime(started), writes.Length, Committed: true));
        return (stored, null);
    }

    /// <summary>Spools the writes; on failure fails every call of the batch with <see cref="AuditUnavailableException"/>.</summary>
    private async Task<bool> TrySpoolAsync(AuditWrite[] writes, Exception storeError, List<Pending> batch)
    {
        try
        {
            await spool.AppendAsync(writes).ConfigureAwait(false);
        }
        catch (Exception spoolError)
        {
            var error = new AuditUnavailableException(
                "Neither the audit store nor the audit spool took the record.", new AggregateException(storeError, spoolError));
            foreach (var call in batch)
            {
                call.Done.TrySetException(error);
            }

            return false;
        }

        Interlocked.Add(ref spooled, writes.Length);
        Interlocked.Add(ref pending, writes.Length);
        return true;
    }

    private static void Complete(List<Pending> batch, bool[] results)
    {
        var offset = 0;
        foreach (var call in batch)
        {
            call.Done.TrySetResult(results[offset..(offset + call.Writes.Length)]);
            offset += call.Writes.Length;
        }
    }

    private static void Validate(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Caller, nameof(record));
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Service, nameof(record));
        ArgumentNullException.ThrowIfNull(record.Summary, nameof(record));
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

    /// <summary>One call's writes, committed together, and the caller waiting for them.</summary>
    private sealed class Pending(AuditWrite[] writes)
    {
        public AuditWrite[] Writes { get; } = writes;

        public TaskCompletionSource<bool[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
