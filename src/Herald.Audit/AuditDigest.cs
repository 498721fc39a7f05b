using System.Security.Cryptography;

namespace Herald.Audit;

/// <summary>The digest of a request body that the audit trail keeps instead of the body itself.</summary>
public static class AuditDigest
{
    /// <summary>SHA-256 of the bytes, as 64 lowercase hex characters.</summary>
    public static string Of(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return Convert.ToHexStringLower(hash);
    }
}
