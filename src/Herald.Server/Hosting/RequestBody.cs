using System.Text.Json;

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

    /// <summary>Parses JSON; a failure names the line and byte position.</summary>
    public static bool TryParse(byte[] body, out JsonDocument? document, out string? error)
    {
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            document = null;
            error = e.LineNumber is { } line
                ? $"the body is not valid JSON (line {line + 1}, position {e.BytePositionInLine + 1})"
                : "the body is not valid JSON";
            return false;
        }
    }

    /// <summary>The media type without parameters, lowercased ("application/fhir+json").</summary>
    public static string MediaType(HttpContext context) =>
        (context.Request.ContentType ?? string.Empty).Split(';')[0].Trim().ToLowerInvariant();
}
