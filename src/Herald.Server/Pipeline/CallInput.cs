using System.Text;
using Herald.Audit;

using Herald.Server.Hosting;

namespace Herald.Server.Pipeline;

/// <summary>
/// Everything an endpoint decides from, and nothing else: the body, its media type, the query values the endpoints
/// read, and the server's clock when the call came in. A live call builds it from the request; a replay from the
/// audit record (<see cref="AuditInput"/>), so both run the same code on the same input.
/// </summary>
public sealed record CallInput(byte[] Body, string? ContentType, IReadOnlyDictionary<string, string> Query, DateTimeOffset Now)
{
    /// <summary>The query parameters endpoints read; only these are kept in the record.</summary>
    public static readonly IReadOnlyList<string> QueryNames = ["edition", "asOf", "patient"];

    /// <summary>The server's date for the call ("today" for the decision), in UTC.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>A query value as ASP.NET gives it (several values joined by commas), or empty when absent.</summary>
    public string QueryValue(string name) => Query.TryGetValue(name, out var value) ? value : "";

    /// <summary>The media type without parameters, lowercased ("application/fhir+json").</summary>
    public string MediaType => RequestBody.MediaType(ContentType);

    public static CallInput From(HttpContext context, byte[] body, DateTimeOffset now)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in QueryNames)
        {
            var value = context.Request.Query[name].ToString();
            if (value.Length > 0)
            {
                query[name] = value;
            }
        }

        return new CallInput(body, context.Request.ContentType, query, now);
    }
}

/// <summary>An answer as an endpoint computed it: what is sent, and what the audit record says about it.</summary>
/// <param name="Body">The answer's bytes (UTF-8), as sent and digested: an answer is written as UTF-8 once, not as text
/// and then again as bytes.</param>
public sealed record ComputedAnswer(int Status, string ContentType, byte[] Body)
{
    /// <summary>An answer made as text (problem documents, the REST answers).</summary>
    public ComputedAnswer(int status, string contentType, string body)
        : this(status, contentType, Encoding.UTF8.GetBytes(body))
    {
    }

    /// <summary>The body as text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Hook { get; init; }

    public string? HookInstance { get; init; }

    public string? PatientId { get; init; }

    public string? Edition { get; init; }

    public AuditSummary Summary { get; init; } = AuditSummary.None;
}
