using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace Herald.Audit;

/// <summary>
/// What an answer was decided from, as the audit record keeps it: the request body as received (with any
/// <c>fhirAuthorization</c> access token blanked, <see cref="Redacted"/>), its media type and query, the server's clock
/// at the call (answers depend on "today"), and for CDS Hooks every prefetch key read from <c>fhirServer</c> with what
/// the read gave. Replaying it through the same code gives the same answer bytes.
/// </summary>
/// <param name="Query">The query parameters the endpoint reads, by name (first value each).</param>
/// <param name="Redacted">True when a token was blanked in <see cref="Body"/>: its digest then differs from the record's input digest.</param>
/// <param name="Fetched">Prefetch keys read from fhirServer: the resource read, or why the read failed.</param>
public sealed record AuditInput(
    string? ContentType,
    IReadOnlyDictionary<string, string> Query,
    DateTimeOffset Now,
    byte[] Body,
    bool Redacted,
    IReadOnlyDictionary<string, AuditFetch> Fetched)
{
    // "HAI" and format 1, then the header's length, the header (JSON), the body; all of it Brotli-compressed.
    private static ReadOnlySpan<byte> Magic => "HAI1"u8;

    // Brotli quality 1: the shipped examples' 20-40 KB bodies to 2.6-2.8 KB in about 30 us on the development machine,
    // against 2.3-2.5 KB in 60-75 us at quality 3 (docs/performance.md): the record stays far under its 8 KB bound,
    // and compressing is on every answer's path. Any quality decodes the same way. Window 2^22 bytes.
    private const int Quality = 1;
    private const int Window = 22;

    /// <summary>The compressed bytes the record keeps.</summary>
    public byte[] Encode()
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(
            new AuditInputHeader(ContentType, Query, Now, Redacted, Fetched.Count == 0 ? null : Fetched), AuditJsonContext.Default.AuditInputHeader);
        // Every answer encodes one: the two working buffers (each about the body's size) are rented, not allocated.
        var length = Magic.Length + sizeof(int) + header.Length + Body.Length;
        var plain = ArrayPool<byte>.Shared.Rent(length);
        var compressed = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            Magic.CopyTo(plain);
            BinaryPrimitives.WriteInt32LittleEndian(plain.AsSpan(Magic.Length), header.Length);
            header.CopyTo(plain, Magic.Length + sizeof(int));
            Body.CopyTo(plain, Magic.Length + sizeof(int) + header.Length);
            if (!BrotliEncoder.TryCompress(plain.AsSpan(0, length), compressed, out var written, Quality, Window))
            {
                throw new InvalidOperationException("Brotli could not compress the audit input.");
            }

            return compressed[..written];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
            ArrayPool<byte>.Shared.Return(plain);
        }
    }

    /// <summary>Reads what <see cref="Encode"/> wrote; throws <see cref="FormatException"/> for anything else.</summary>
    public static AuditInput Decode(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        byte[] plain;
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(encoded), CompressionMode.Decompress);
            using var buffer = new MemoryStream();
            brotli.CopyTo(buffer);
            plain = buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new FormatException("The audit input is not Brotli-compressed.", e);
        }

        if (plain.Length < Magic.Length + sizeof(int) || !plain.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("The audit input is not in a format this Herald knows.");
        }

        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(plain.AsSpan(Magic.Length));
        var headerStart = Magic.Length + sizeof(int);
        if (headerLength < 0 || headerLength > plain.Length - headerStart)
        {
            throw new FormatException("The audit input's header is cut short.");
        }

        AuditInputHeader header;
        try
        {
            header = JsonSerializer.Deserialize(plain.AsSpan(headerStart, headerLength), AuditJsonContext.Default.AuditInputHeader)
                ?? throw new FormatException("The audit input has no header.");
        }
        catch (JsonException e)
        {
            throw new FormatException("The audit input's header is not valid.", e);
        }

        return new AuditInput(
            header.ContentType,
            header.Query ?? new Dictionary<string, string>(),
            header.Now,
            plain[(headerStart + headerLength)..],
            header.Redacted,
            header.Fetched ?? new Dictionary<string, AuditFetch>());
    }
}

/// <summary>One prefetch key read from fhirServer: the resource it gave, or why it could not be read whole.</summary>
public sealed record AuditFetch(JsonElement? Resource, string? Failure, string? Reason);

internal sealed record AuditInputHeader(
    string? ContentType,
    IReadOnlyDictionary<string, string>? Query,
    DateTimeOffset Now,
    bool Redacted,
    IReadOnlyDictionary<string, AuditFetch>? Fetched);
