using System.Diagnostics;
using System.Security.Cryptography;
using Herald.Audit;
using Herald.Server.Hosting;
using Herald.Server.Security;
using Microsoft.Extensions.Options;

namespace Herald.Server.Pipeline;

/// <summary>
/// Every answer is recorded before it is sent. The record holds the caller, the hook, the patient id, the
/// edition, a SHA-256 digest of the input (not the input), the full output and the latency. When neither the
/// database nor the durable spool can take the record, the caller gets 503 and no answer: Herald fails closed
/// rather than give advice nobody can later account for (docs/audit.md).
/// </summary>
public sealed class AuditRecorder(DurableAuditWriter writer, IOptions<HeraldServerOptions> options, TimeProvider time, ILogger<AuditRecorder> log)
{
    public AuditCall Begin(HttpContext context, string service) =>
        new(this, context.GetCaller()?.Caller ?? "anonymous", service, time.GetUtcNow(), Stopwatch.GetTimestamp(), options.Value.MaxRequestBytes);

    internal async Task<bool> RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        try
        {
            // Not the request's token: a caller hanging up must not cancel the record of an answer already made.
            await writer.AppendAsync(record, CancellationToken.None);
            log.LogInformation("{Service} answered {Status} in {LatencyMs:F1} ms (audit {AuditId}, hook instance {HookInstance})",
                record.Service, record.Status, record.LatencyMs, record.Id, record.HookInstance);
            return true;
        }
        catch (AuditUnavailableException)
        {
            log.LogError("Audit unavailable: record {AuditId} for {Service} could not be stored or spooled; answering 503", record.Id, record.Service);
            return false;
        }
    }
}

/// <summary>One call being answered: collects what the audit record needs, then records and answers together.</summary>
public sealed class AuditCall
{
    private readonly AuditRecorder recorder;
    private readonly string caller;
    private readonly string service;
    private readonly DateTimeOffset started;
    private readonly long startTicks;
    private string digest = string.Empty;
    private string? hook;
    private string? hookInstance;
    private string? patientId;
    private string? edition;
    private IReadOnlyList<string> cardIds = [];

    internal AuditCall(AuditRecorder recorder, string caller, string service, DateTimeOffset started, long startTicks, long maxRequestBytes)
    {
        this.recorder = recorder;
        this.caller = caller;
        this.service = service;
        this.started = started;
        this.startTicks = startTicks;
        MaxRequestBytes = maxRequestBytes;
    }

    public long MaxRequestBytes { get; }

    public Guid Id { get; } = Guid.NewGuid();

    public void Input(ReadOnlySpan<byte> body) => digest = Convert.ToHexStringLower(SHA256.HashData(body));

    public void Hook(string? hookName, string? instance)
    {
        hook = hookName;
        hookInstance = instance;
    }

    public void Describe(string? patient, string? editionId)
    {
        patientId = patient;
        edition = editionId;
    }

    public void Cards(IReadOnlyList<string> ids) => cardIds = ids;

    /// <summary>Records the call, then sends the body; 503 instead when the record cannot be kept.</summary>
    public async Task Answer(HttpContext context, int status, string contentType, string body)
    {
        var latency = Stopwatch.GetElapsedTime(startTicks).TotalMilliseconds;
        var record = new AuditRecord(Id, started, caller, service, hook, hookInstance, patientId, edition, digest, body, latency, status, cardIds);
        if (!await recorder.RecordAsync(record, context.RequestAborted))
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "the audit trail cannot record this answer, so Herald does not give it; try again later");
            return;
        }

        context.Response.Headers["X-Herald-Audit-Id"] = Id.ToString();
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
