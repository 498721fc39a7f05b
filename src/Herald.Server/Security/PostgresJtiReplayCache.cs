using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Herald.Server.Security;

/// <summary>
/// The single-use jti check shared by every replica over the audit's PostgreSQL (table <c>jti_replay</c>, audit schema
/// version 4). One statement registers a pair if it is absent, or if its entry has expired, and says which it was, so
/// two replicas given the same token at the same moment admit it once (the primary key decides). The jti is kept as its
/// SHA-256: any length fits the index, and what is stored is not the token's own id.
/// <para>
/// Expired rows are deleted, and the live rows counted, at most once per <see cref="RefreshInterval"/> by each replica.
/// Like the in-memory cache the table is bounded by <c>ReplayCacheCapacity</c>: when the count (plus what this replica
/// has added since) reaches it, new tokens are refused (503 <c>replay-cache-full</c>) rather than an entry forgotten.
/// Across replicas the bound is approximate: each may add, within one interval, what the others added unseen. A check
/// the database does not answer within <see cref="CheckTimeout"/> refuses the token (503 <c>replay-cache-unavailable</c>):
/// without the check a replay to this replica could not be told apart.
/// </para>
/// </summary>
public sealed class PostgresJtiReplayCache : IJtiReplayCache, IAsyncDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    private readonly NpgsqlDataSource dataSource;
    private readonly TimeProvider time;
    private readonly int capacity;
    private readonly ILogger log;
    private readonly Lock sync = new();
    private long liveEstimate;
    private DateTimeOffset? lastRefresh;
    private int refreshing;

    public PostgresJtiReplayCache(string connectionString, TimeProvider time, int capacity, ILogger<PostgresJtiReplayCache> log)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        dataSource = NpgsqlDataSource.Create(connectionString);
        this.time = time;
        this.capacity = capacity;
        this.log = log;
    }

    public string Backend => "postgresql";

    public long KnownSize => Interlocked.Read(ref liveEstimate);

    public async ValueTask<ReplayCheck> TryRegisterAsync(string issuer, string jti, DateTimeOffset rememberUntil, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            var now = time.GetUtcNow();
            if (ClaimRefresh(now))
            {
                await RefreshAsync(now, timeout.Token).ConfigureAwait(false);
            }

            var key = Digest(jti);
            if (Interlocked.Read(ref liveEstimate) >= capacity)
            {
                // Full: a token seen before is still a replay; any other waits until entries expire.
                return await IsLiveAsync(issuer, key, now, timeout.Token).ConfigureAwait(false) ? ReplayCheck.Replayed : ReplayCheck.CacheFull;
            }

            if (!await InsertIfAbsentAsync(issuer, key, rememberUntil, now, timeout.Token).ConfigureAwait(false))
            {
                return ReplayCheck.Replayed;
            }

            Interlocked.Increment(ref liveEstimate);
            return ReplayCheck.FirstUse;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested
            && e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The type and SQL state only: never a token, never patient data.
            log.LogWarning("The shared jti replay cache did not answer ({ExceptionType} {SqlState}); tokens are refused until it does",
                e.GetType().Name, (e as PostgresException)?.SqlState);
            return ReplayCheck.Unavailable;
        }
    }

    /// <summary>Rows in the table now, expired or not (tests: expired rows are deleted).</summary>
    public async Task<long> StoredCountAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM jti_replay");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    /// <summary>True for the one caller that should purge and count now; the others go on with the last count.</summary>
    private bool ClaimRefresh(DateTimeOffset now)
    {
        lock (sync)
        {
            if (lastRefresh is { } last && now - last < RefreshInterval)
            {
                return false;
            }
        }

        return Interlocked.CompareExchange(ref refreshing, 1, 0) == 0;
    }

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await using (var purge = dataSource.CreateCommand("DELETE FROM jti_replay WHERE remember_until <= @now"))
            {
                purge.Parameters.AddWithValue("now", now.ToUniversalTime());
                await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var count = dataSource.CreateCommand("SELECT count(*) FROM jti_replay WHERE remember_until > @now");
            count.Parameters.AddWithValue("now", now.ToUniversalTime());
            var live = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            Interlocked.Exchange(ref liveEstimate, live);
            lock (sync)
            {
                lastRefresh = now;
            }
        }
        finally
        {
            Volatile.Write(ref refreshing, 0);
        }
    }

    // A live entry makes the statement do nothing and return no row; an absent or expired one is (re)written and returned.
    private async Task<bool> InsertIfAbsentAsync(string issuer, byte[] key, DateTimeOffset rememberUntil, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO jti_replay (issuer, jti_sha256, remember_until) VALUES (@issuer, @key, @until)
            ON CONFLICT (issuer, jti_sha256) DO UPDATE SET remember_until = EXCLUDED.remember_until
            WHERE jti_replay.remember_until <= @now
            RETURNING 1
            """);
        command.Parameters.AddWithValue("issuer", issuer);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("until", rememberUntil.ToUniversalTime());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private async Task<bool> IsLiveAsync(string issuer, byte[] key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT 1 FROM jti_replay WHERE issuer = @issuer AND jti_sha256 = @key AND remember_until > @now");
        command.Parameters.AddWithValue("issuer", issuer);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static byte[] Digest(string jti) => SHA256.HashData(Encoding.UTF8.GetBytes(jti));
}
