using System.Text;
using Herald.Audit.Spool;

namespace Herald.Audit;

// Draining the spool: lines into the store, a chunk per transaction, line by line when a chunk is refused, so a store
// that is down is told apart from a line it will never take.
public sealed partial class DurableAuditWriter
{
    private async Task<(int Drained, bool Finished)> DrainFileAsync(string file, CancellationToken cancellationToken)
    {
        var lines = File.ReadAllLines(file, Encoding.UTF8).Where(l => l.Length > 0).ToList();
        var stored = 0;
        int? suspect = null; // a line the store refused; the next line's outcome says whether the store or the line was at fault
        var next = 0;
        var stopped = false;
        try
        {
            while (next < lines.Count && !stopped)
            {
                var end = Math.Min(next + options.MaxBatch, lines.Count);
                if (suspect is null && await TryDrainChunkAsync(lines, next, end, cancellationToken).ConfigureAwait(false) is { } chunk)
                {
                    stored += chunk;
                    next = end;
                    continue;
                }

                // The chunk failed as a whole: line by line, to tell a store that is down from a line it refuses.
                for (; next < end; next++)
                {
                    var line = AuditSpool.Parse(lines[next]);
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
                            stopped = true; // two refusals in a row: the store is down
                            break;
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

                    Tally(outcome);
                    stored += outcome == LineOutcome.Stored ? 1 : 0;
                }
            }
        }
        finally
        {
            // Keep what is not handled yet, also when cancelled, so nothing is lost and nothing counted twice.
            var keep = new List<string>();
            if (suspect is { } refused)
            {
                keep.Add(lines[refused]);
            }

            keep.AddRange(lines.Skip(next));
            spool.Keep(file, keep);
            Interlocked.Add(ref pending, keep.Count - lines.Count);
        }

        return (stored, next >= lines.Count && suspect is null);
    }

    /// <summary>Lines [start, end) in one transaction; the number stored, or null when the store refused the chunk.</summary>
    private async Task<int?> TryDrainChunkAsync(List<string> lines, int start, int end, CancellationToken cancellationToken)
    {
        var parsed = new List<AuditWrite>();
        var unreadable = new List<string>();
        for (var i = start; i < end; i++)
        {
            if (AuditSpool.Parse(lines[i]) is { } write)
            {
                parsed.Add(write);
            }
            else
            {
                unreadable.Add(lines[i]);
            }
        }

        IReadOnlyList<bool> results;
        try
        {
            results = await store.WriteAsync(parsed, cancellationToken).ConfigureAwait(false);
            MarkReachable();
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            return null;
        }

        foreach (var line in unreadable)
        {
            await RejectAsync(line).ConfigureAwait(false);
        }

        var stored = 0;
        foreach (var result in results)
        {
            // Feedback on a card no record of this caller produced is refused now as it would have been live.
            var outcome = result ? LineOutcome.Stored : LineOutcome.Discarded;
            Tally(outcome);
            stored += result ? 1 : 0;
        }

        return stored;
    }

    private enum LineOutcome
    {
        Stored,
        Discarded,
        Failed,
    }

    private async Task<LineOutcome> ApplyAsync(AuditWrite line, CancellationToken cancellationToken)
    {
        try
        {
            var result = (await store.WriteAsync([line], cancellationToken).ConfigureAwait(false))[0];
            MarkReachable();
            return result ? LineOutcome.Stored : LineOutcome.Discarded;
        }
        catch (Exception e) when (IsStoreFailure(e, cancellationToken))
        {
            MarkUnreachable(e);
            return LineOutcome.Failed;
        }
    }

    private void Tally(LineOutcome outcome)
    {
        if (outcome == LineOutcome.Stored)
        {
            Interlocked.Increment(ref drained);
        }
        else
        {
            Interlocked.Increment(ref discarded);
        }
    }

    private async Task RejectAsync(string text)
    {
        await spool.RejectAsync(text).ConfigureAwait(false);
        Interlocked.Increment(ref discarded);
    }
}
