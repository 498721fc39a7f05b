using System.Text;
using System.Text.Json;
using Herald.Contracts;
using Herald.Contracts.Patients;

namespace Herald.Server.Hosting;

/// <summary>The request body, read whole (bounded by Kestrel's size limit) so it can be parsed and digested.</summary>
public static class RequestBody
{
    /// <returns>The body, or null when it is larger than <paramref name="maxBytes"/> (Kestrel stops it earlier;
    /// this check also holds where Kestrel's limit does not apply, e.g. the in-memory test server).</returns>
    public static async Task<byte[]?> ReadAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return null;
        }

        if (context.Request.ContentLength is { } length)
        {
            return await ReadExactAsync(context, (int)length);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    // A declared length (the usual case, and already checked against the limit) is read straight into an array of that
    // size: no growing buffer, no copies. Kestrel reads no byte past the declared length and fails the read of a body
    // that ends early; where the body stream ends early anyway, what was read is returned, as the chunked path does.
    private static async Task<byte[]?> ReadExactAsync(HttpContext context, int length)
    {
        var body = new byte[length];
        var filled = 0;
        while (filled < length)
        {
            var read = await context.Request.Body.ReadAsync(body.AsMemory(filled), context.RequestAborted);
            if (read == 0)
            {
                return body[..filled];
            }

            filled += read;
        }

        return body;
    }

    /// <summary>
    /// Parses a JSON body strictly (<see cref="StrictJson"/>): bytes that are not UTF-8, lone surrogate escapes and,
    /// unless the reader names them itself, members given twice are refused with their JSON paths; nothing is replaced.
    /// </summary>
    public static bool TryParse(byte[] body, out JsonDocument? document, out IReadOnlyList<InputError> errors, bool refuseDuplicateNames = true) =>
        StrictJson.TryParse(body, out document, out errors, refuseDuplicateNames);

    /// <summary>The body as text, once <see cref="StrictJson.Check(ReadOnlySpan{byte}, bool)"/> has found it to be UTF-8.</summary>
    public static string Text(byte[] body) => Encoding.UTF8.GetString(StrictJson.WithoutBom(body).Span);

    /// <summary>The media type without parameters, lowercased ("application/fhir+json").</summary>
    public static string MediaType(HttpContext context) => MediaType(context.Request.ContentType);

    /// <summary>The media type of a Content-Type value without parameters, lowercased.</summary>
    public static string MediaType(string? contentType) => (contentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
}
