using System.Diagnostics;
using System.Text;
using Herald.Audit;
using Herald.Core.Knowledge;
using Herald.Server.Hosting;
using Herald.Server.Security;
using Microsoft.Extensions.Options;

namespace Herald.Server.Pipeline;

/// <summary>
/// Every answer is recorded before it is sent. The record holds the caller, the hook, the patient id, the edition and
/// knowledge-base version, a SHA-256 digest of the input and of the answer, the answer's summary, the latency, and the
/// input itself compressed (token blanked) so the answer can be derived again. When neither the database nor the
/// durable spool can take the record, or the queue in front of them is full, the caller gets 503 and no answer: Herald
/// fails closed rather than give advice nobody can later account for (docs/audit.md).
/// </summary>
public sealed class AuditRecorder(
    DurableAuditWriter writer, IOptions<HeraldServerOptions> options, KnowledgeBase knowledge, TimeProvider time, ILogger<AuditRecorder> log,
    HeraldMetrics metrics)
{
    /// <summary>The Retry-After header value of every 503 Herald sends (busy audit, unreachable store or replay cache).</summary>
    public const string RetryAfter = "1";

    public AuditCall Begin(HttpContext context, string service)
    {
        HeraldMetrics.TagService(context, service);
        return new(this, context.GetCaller()?.Caller ?? "anonymous", service, time.GetUtcNow(), Stopwatch.GetTimestamp(), options.Value.MaxRequestBytes);
    }

    internal string KnowledgeBaseVersion => knowledge.Version;

    /// <summary>Stores the record; null when it is stored or spooled, else why the answer must be withheld.</summary>
    internal async Task<string?> RecordAsync(AuditRecord record)
    {
        try
        {
            // Not the request's token: a caller hanging up must not cancel the record of an answer already made.
            await writer.AppendAsync(record);
            metrics.Answered(record.Service, record.Status);
            // The audit record is the account of every answer. A line per answer at Information would put the console
            // logger's queue (one writer thread, a lock, blocking when 2,500 lines wait) on the path of every answer
            // under load, so answers given are logged at Debug; refusals and failures stay at Information.
            log.Log(record.Status is >= 200 and < 300 ? LogLevel.Debug : LogLevel.Information,
                "{Service} answered {Status} in {LatencyMs:F1} ms (audit {AuditId}, hook instance {HookInstance})",
                record.Service, record.Status, record.LatencyMs, record.Id, record.HookInstance);
            return null;
        }
        catch (AuditBusyException)
        {
            metrics.Answered(record.Service, StatusCodes.Status503ServiceUnavailable);
            log.LogWarning("Audit queue full: record {AuditId} for {Service} refused; answering 503 with Retry-After", record.Id, record.Service);
            return "the audit trail has more records waiting than it takes, so Herald does not give this answer now; try again shortly";
        }
        catch (AuditUnavailableException)
        {
            metrics.Answered(record.Service, StatusCodes.Status503ServiceUnavailable);
            log.LogError("Audit unavailable: record {AuditId} for {Service} could not be stored or spooled; answering 503", record.Id, record.Service);
            return "the audit trail cannot record this answer, so Herald does not give it; try again later";
        }
    }
}

/// <summary>One call being answered: keeps what the audit record needs, then records and answers together.</summary>
public sealed class AuditCall
{
    private readonly AuditRecorder recorder;
    private readonly string caller;
    private readonly string service;
    private readonly long startTicks;
    private readonly Dictionary<string, AuditFetch> fetched = new(StringComparer.Ordinal);
    private string digest = AuditDigest.Of([]);
    private CallInput? input;

    internal AuditCall(AuditRecorder recorder, string caller, string service, DateTimeOffset now, long startTicks, long maxRequestBytes)
    {
        this.recorder = recorder;
        this.caller = caller;
        this.service = service;
        Now = now;
        this.startTicks = startTicks;
        MaxRequestBytes = maxRequestBytes;
    }

    public long MaxRequestBytes { get; }

    /// <summary>
    /// Time-ordered (RFC 9562 version 7): records written together have neighbouring ids, so the audit's id indexes grow
    /// at their end instead of dirtying a random page per record.
    /// </summary>
    public Guid Id { get; } = Guid.CreateVersion7();

    /// <summary>The server's clock when the call came in: the answer's "today", kept in the record.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The call's input, once the body is read; the record keeps it (token blanked) for replay.</summary>
    public CallInput Input(HttpContext context, byte[] body)
    {
        digest = AuditDigest.Of(body);
        input = CallInput.From(context, body, Now);
        return input;
    }

    /// <summary>A prefetch key read from fhirServer, as the record keeps it for replay.</summary>
    public void Fetched(string key, AuditFetch result)
    {
        lock (fetched)
        {
            fetched[key] = result;
        }
    }

    /// <summary>Records the call, then sends the answer; 503 instead when the record cannot be kept.</summary>
    public async Task Answer(HttpContext context, ComputedAnswer answer)
    {
        var bytes = answer.Body;
        var latency = Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;
        var record = new AuditRecord(
            Id, Now, caller, service, answer.Hook, answer.HookInstance, answer.PatientId, answer.Edition, recorder.KnowledgeBaseVersion,
            digest, AuditDigest.Of(bytes), latency, answer.Status, answer.Summary, EncodeInput());
        if (await recorder.RecordAsync(record) is { } refusal)
        {
            context.Response.Headers.RetryAfter = AuditRecorder.RetryAfter;
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", refusal);
            return;
        }

        context.Response.Headers["X-Herald-Audit-Id"] = Id.ToString();
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>An answer made before the input was read (a body over the limit): the record keeps no input.</summary>
    public Task Answer(HttpContext context, int status, string contentType, string body) =>
        Answer(context, new ComputedAnswer(status, contentType, body));

    private byte[]? EncodeInput()
    {
        if (input is null)
        {
            return null;
        }

        var body = TokenRedaction.Redact(input.Body, out var redacted);
        Dictionary<string, AuditFetch> reads;
        lock (fetched)
        {
            reads = new Dictionary<string, AuditFetch>(fetched, StringComparer.Ordinal);
        }

        return new AuditInput(input.ContentType, input.Query, input.Now, body, redacted, reads).Encode();
    }
}
