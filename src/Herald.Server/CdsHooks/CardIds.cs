using System.Security.Cryptography;
using System.Text;

namespace Herald.Server.CdsHooks;

/// <summary>
/// Deterministic uuids from the hook call and a key: the same call gives the same card ids, so answers replay byte for
/// byte and feedback links back to the audited answer. RFC 9562 version 8 (custom): the first 8 bytes are a SHA-256
/// hash of the call (<c>scope</c>), the last 8 a hash of the call and the key, so the cards of one answer share a
/// prefix. The audit keeps an answer's card ids in its record and indexes that prefix once per answer to find a card's
/// record for feedback (one row and two index entries per card had been most of the audit's write cost,
/// docs/performance.md).
/// </summary>
public static class CardIds
{
    // Herald's own namespace for its name-based uuids (a fixed random uuid), hashed in front of every name.
    private static readonly Guid Namespace = new("6f1d7c1a-2b8e-4c55-9a0e-3d4f1e2b7a60");

    /// <summary>The uuid for <paramref name="key"/> within the call <paramref name="scope"/> (usually the hookInstance).</summary>
    public static string For(string scope, string key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> uuid = stackalloc byte[16];
        Span<byte> hash = stackalloc byte[32];
        ScopePrefix(scope).CopyTo(uuid);
        Hash(scope + "\n" + key, hash);
        hash[..8].CopyTo(uuid[8..]);
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80); // version 8
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80); // the RFC variant
        return new Guid(uuid, bigEndian: true).ToString("D");
    }

    // An answer asks for a dozen or more ids in one scope, one after another on one thread: its prefix is hashed once.
    [ThreadStatic]
    private static (string Scope, byte[] Prefix)? lastScope;

    private static byte[] ScopePrefix(string scope)
    {
        if (lastScope is { } last && string.Equals(last.Scope, scope, StringComparison.Ordinal))
        {
            return last.Prefix;
        }

        Span<byte> hash = stackalloc byte[32];
        Hash(scope, hash);
        var prefix = hash[..8].ToArray();
        lastScope = (scope, prefix);
        return prefix;
    }

    private static void Hash(string name, Span<byte> into)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[16 + bytes.Length];
        Namespace.TryWriteBytes(input, bigEndian: true, out _);
        bytes.CopyTo(input, 16);
        SHA256.HashData(input, into);
    }
}
