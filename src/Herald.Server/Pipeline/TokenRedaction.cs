using System.Text;
using System.Text.Json;

namespace Herald.Server.Pipeline;

/// <summary>
/// The audit record keeps a call's body but never a bearer token: the CDS Hooks <c>fhirAuthorization.access_token</c>
/// is overwritten in a copy, byte for byte with 'x' (quotes kept), so the body keeps its length and shape and every
/// answer derived from it, error positions included, is the same.
/// </summary>
public static class TokenRedaction
{
    private static readonly byte[] FhirAuthorization = Encoding.UTF8.GetBytes("fhirAuthorization");
    private static readonly byte[] AccessToken = Encoding.UTF8.GetBytes("access_token");
    private static readonly byte[] QuotedAccessToken = Encoding.UTF8.GetBytes("\"access_token\"");

    /// <summary>The body with every <c>fhirAuthorization.access_token</c> string blanked; the body itself when it has none.</summary>
    public static byte[] Redact(byte[] body, out bool redacted)
    {
        ArgumentNullException.ThrowIfNull(body);

        // Most bodies (every REST call) hold no token: without the name's bytes, and without a backslash that could
        // spell it escaped, neither reading below can find one, so the body is not parsed again for the record.
        if (body.AsSpan().IndexOf(AccessToken) < 0 && body.AsSpan().IndexOf((byte)'\\') < 0)
        {
            redacted = false;
            return body;
        }

        var ranges = Read(body) ?? Scan(body);
        redacted = ranges.Count > 0;
        if (!redacted)
        {
            return body;
        }

        var copy = (byte[])body.Clone();
        foreach (var (start, length) in ranges)
        {
            copy.AsSpan(start, length).Fill((byte)'x');
        }

        return copy;
    }

    /// <summary>The raw string values (between their quotes) of fhirAuthorization.access_token; null when the body is not JSON.</summary>
    private static List<(int Start, int Length)>? Read(byte[] body)
    {
        var offset = body.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        var ranges = new List<(int, int)>();
        try
        {
            var reader = new Utf8JsonReader(body.AsSpan(offset), new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 1024 });
            var inAuthorization = false;
            var tokenNext = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    inAuthorization = reader.ValueTextEquals(FhirAuthorization);
                    tokenNext = false;
                }
                else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 2)
                {
                    tokenNext = inAuthorization && reader.ValueTextEquals(AccessToken);
                }
                else if (tokenNext && reader.TokenType == JsonTokenType.String && reader.CurrentDepth == 2)
                {
                    ranges.Add((offset + (int)reader.TokenStartIndex + 1, reader.ValueSpan.Length));
                    tokenNext = false;
                }
                else if (reader.CurrentDepth <= 2)
                {
                    tokenNext = false;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return ranges;
    }

    /// <summary>For a body that is not JSON: every string that follows an "access_token" key, wherever it is.</summary>
    private static List<(int Start, int Length)> Scan(byte[] body)
    {
        var ranges = new List<(int, int)>();
        var span = body.AsSpan();
        var from = 0;
        while (from < span.Length && span[from..].IndexOf(QuotedAccessToken) is var found and >= 0)
        {
            var i = from + found + QuotedAccessToken.Length;
            from = i;
            while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':')
            {
                i++;
            }

            if (i >= span.Length || span[i] != '"')
            {
                continue;
            }

            var start = ++i;
            while (i < span.Length && span[i] != '"')
            {
                i += span[i] == '\\' ? 2 : 1;
            }

            ranges.Add((start, Math.Min(i, span.Length) - start));
            from = Math.Min(i, span.Length);
        }

        return ranges;
    }
}
