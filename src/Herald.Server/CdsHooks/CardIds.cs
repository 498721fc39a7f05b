using System.Security.Cryptography;
using System.Text;

namespace Herald.Server.CdsHooks;

/// <summary>
/// Deterministic uuids (RFC 4122 version 5, SHA-1 name-based) from the hook call and a key: the same
/// call gives the same card ids, so tests are stable and feedback links back to the audited answer.
/// </summary>
public static class CardIds
{
    // Herald's own namespace for name-based uuids (a fixed random uuid).
    private static readonly Guid Namespace = new("6f1d7c1a-2b8e-4c55-9a0e-3d4f1e2b7a60");

    /// <summary>The uuid for <paramref name="key"/> within the call <paramref name="scope"/> (usually the hookInstance).</summary>
    public static string For(string scope, string key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> ns = stackalloc byte[16];
        Namespace.TryWriteBytes(ns, bigEndian: true, out _);
        var name = Encoding.UTF8.GetBytes(scope + "\n" + key);
        var input = new byte[16 + name.Length];
        ns.CopyTo(input);
        name.CopyTo(input, 16);
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true).ToString("D");
    }
}
