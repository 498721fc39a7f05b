using Microsoft.Extensions.Logging;

namespace Herald.Server.Security;

public enum KeyLookupStatus
{
    Found,
    UnknownKid,
    KeysUnavailable,
}

public readonly record struct KeyLookup(KeyLookupStatus Status, JsonWebKey? Key);

/// <summary>
/// One issuer's keys, read from a file or URL and kept for <see cref="CdsAuthOptions.JwksCacheLifetime"/>.
/// A token with an unknown kid triggers one re-read (key rotation), at most once per
/// <see cref="CdsAuthOptions.JwksRefreshMinInterval"/>, so forged kids cannot make Herald hammer the key server.
/// When a re-read fails, the keys already held stay in use.
/// </summary>
public sealed class JwksKeySource : IDisposable
{
    private readonly Func<CancellationToken, Task<string>> load;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly TimeSpan lifetime;
    private readonly TimeSpan minRefreshInterval;
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Snapshot? current;
    private DateTimeOffset? lastAttempt;

    public JwksKeySource(string issuer, string location, Func<CancellationToken, Task<string>> load,
        CdsAuthOptions options, TimeProvider time, ILogger logger)
    {
        Issuer = issuer;
        Location = location;
        this.load = load;
        this.time = time;
        this.logger = logger;
        lifetime = options.JwksCacheLifetime;
        minRefreshInterval = options.JwksRefreshMinInterval;
    }

    public string Issuer { get; }

    /// <summary>The file path or URL, for messages.</summary>
    public string Location { get; }

    /// <summary>How many times the keys were read (successfully or not); for tests and diagnostics.</summary>
    public int LoadAttempts { get; private set; }

    public async ValueTask<KeyLookup> FindAsync(string kid, CancellationToken cancellationToken)
    {
        var snapshot = current;
        if (snapshot is null || time.GetUtcNow() - snapshot.LoadedAt >= lifetime)
        {
            snapshot = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        if (snapshot is null)
        {
            return new KeyLookup(KeyLookupStatus.KeysUnavailable, null);
        }
        if (snapshot.Keys.TryFind(kid, out var key))
        {
            return new KeyLookup(KeyLookupStatus.Found, key);
        }

        snapshot = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        return snapshot is not null && snapshot.Keys.TryFind(kid, out key)
            ? new KeyLookup(KeyLookupStatus.Found, key)
            : new KeyLookup(KeyLookupStatus.UnknownKid, null);
    }

    /// <summary>Reads the keys now and throws when they cannot be read or parsed (used at start-up).</summary>
    public async Task LoadOrThrowAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            lastAttempt = now;
            LoadAttempts++;
            var keys = JwksKeySet.Parse(await load(cancellationToken).ConfigureAwait(false));
            current = new Snapshot(keys, now);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<Snapshot?> RefreshAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = time.GetUtcNow();
            if (lastAttempt is { } previous && now - previous < minRefreshInterval)
            {
                return current; // Another caller just read, or the rate limit holds.
            }
            lastAttempt = now;
            LoadAttempts++;
            try
            {
                var keys = JwksKeySet.Parse(await load(cancellationToken).ConfigureAwait(false));
                current = new Snapshot(keys, now);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not read the JWKS of issuer {Issuer} from {Location}: {Reason}",
                    Issuer, Location, e.Message);
            }
            return current;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose() => gate.Dispose();

    private sealed record Snapshot(JwksKeySet Keys, DateTimeOffset LoadedAt);
}

/// <summary>The configured issuers and their key sources.</summary>
public sealed class IssuerKeyRegistry : IDisposable
{
    internal const int MaxJwksBytes = 1024 * 1024;
    private readonly Dictionary<string, JwksKeySource> sources = new(StringComparer.Ordinal);

    public IssuerKeyRegistry(CdsAuthOptions options, HttpClient httpClient, TimeProvider time, ILogger<IssuerKeyRegistry> logger)
    {
        foreach (var issuer in options.Issuers)
        {
            if (!string.IsNullOrWhiteSpace(issuer.JwksFile))
            {
                var path = Path.GetFullPath(issuer.JwksFile);
                sources[issuer.Issuer] = new JwksKeySource(issuer.Issuer, path,
                    ct => File.ReadAllTextAsync(path, ct), options, time, logger);
            }
            else if (!string.IsNullOrWhiteSpace(issuer.JwksUrl))
            {
                var url = new Uri(issuer.JwksUrl);
                var timeout = options.JwksFetchTimeout;
                sources[issuer.Issuer] = new JwksKeySource(issuer.Issuer, url.ToString(),
                    ct => DownloadAsync(httpClient, url, timeout, ct), options, time, logger);
            }
        }
    }

    public bool HasIssuers => sources.Count > 0;

    public IReadOnlyCollection<JwksKeySource> Sources => sources.Values;

    public bool TryGetSource(string issuer, out JwksKeySource source) => sources.TryGetValue(issuer, out source!);

    private static async Task<string> DownloadAsync(HttpClient client, Uri url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
        }
        if (response.Content.Headers.ContentLength > MaxJwksBytes)
        {
            throw new JwksFormatException($"The JWKS is larger than {MaxJwksBytes} bytes.");
        }
        await using var stream = await response.Content.ReadAsStreamAsync(limit.Token).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, limit.Token).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxJwksBytes)
            {
                throw new JwksFormatException($"The JWKS is larger than {MaxJwksBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public void Dispose()
    {
        foreach (var source in sources.Values)
        {
            source.Dispose();
        }
    }
}
