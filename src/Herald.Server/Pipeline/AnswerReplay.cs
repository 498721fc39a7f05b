using System.Text;
using Herald.Audit;
using Herald.Core.Knowledge;
using Herald.Server.CdsHooks;
using Herald.Server.Endpoints;
using Herald.Server.FhirAccess;
using Microsoft.Extensions.Logging.Abstractions;

namespace Herald.Server.Pipeline;

/// <summary>How a replay went: the answer derived again matches the record's digest byte for byte, or why not.</summary>
public enum ReplayVerdict
{
    /// <summary>The answer derived from the stored input is byte for byte the one sent.</summary>
    Reproduced,

    /// <summary>The answer derived now differs from the one sent.</summary>
    Differs,

    /// <summary>The record keeps no input to derive from (written before inputs were kept, or a body over the size limit).</summary>
    NoInput,

    /// <summary>The stored input is not what the caller sent (its digest differs): the record was altered.</summary>
    InputAltered,
}

/// <param name="Answer">The answer derived now; null when nothing could be derived.</param>
/// <param name="Digest">SHA-256 of the derived answer's bytes.</param>
public sealed record ReplayResult(ReplayVerdict Verdict, AuditRecord Record, string CurrentKnowledgeBaseVersion, ComputedAnswer? Answer, string? Digest)
{
    /// <summary>The knowledge base the record was made with is not the one replaying it.</summary>
    public bool KnowledgeDiffers => Record.KnowledgeBaseVersion != CurrentKnowledgeBaseVersion;
}

/// <summary>
/// Derives a recorded answer again from the record's input, through the same code the endpoint ran (the same
/// <c>Compute</c> function, the call's own "today", and for CDS Hooks what fhirServer gave then, as recorded), and
/// checks it against the digest of the bytes that were sent.
/// </summary>
public static class AnswerReplay
{
    public static async Task<ReplayResult> ReplayAsync(AuditRecord record, KnowledgeBase knowledge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(knowledge);
        if (record.Input is null || record.OutputDigest is null)
        {
            return new ReplayResult(ReplayVerdict.NoInput, record, knowledge.Version, null, null);
        }

        var input = AuditInput.Decode(record.Input);
        if (!input.Redacted && AuditDigest.Of(input.Body) != record.InputDigest)
        {
            return new ReplayResult(ReplayVerdict.InputAltered, record, knowledge.Version, null, null);
        }

        var call = new CallInput(input.Body, input.ContentType, input.Query, input.Now);
        var answer = await ComputeAsync(record.Service, call, input.Fetched, new DecisionService(knowledge), cancellationToken);
        var digest = AuditDigest.Of(answer.Body);
        var verdict = digest == record.OutputDigest && answer.Status == record.Status ? ReplayVerdict.Reproduced : ReplayVerdict.Differs;
        return new ReplayResult(verdict, record, knowledge.Version, answer, digest);
    }

    private static async Task<ComputedAnswer> ComputeAsync(
        string service, CallInput call, IReadOnlyDictionary<string, AuditFetch> fetched, DecisionService decisions, CancellationToken cancellationToken)
    {
        var log = NullLogger.Instance;
        if (service is RecommendationEndpoints.Service or RecommendationEndpoints.ComparisonService)
        {
            return RecommendationEndpoints.Compute(service, call, decisions, log);
        }

        if (service == ApplyEndpoints.Service)
        {
            return ApplyEndpoints.Compute(call, decisions, log);
        }

        if (CdsServiceCatalog.Find(service) is { } definition)
        {
            // What fhirServer gave during the call, as recorded; nothing is read from the network.
            Task<FhirFetchResult> Recorded(string key, string server, string query, string? token, CancellationToken ct) =>
                Task.FromResult(fetched.TryGetValue(key, out var read)
                    ? new FhirFetchResult(read.Resource, read.Failure, read.Reason, 0, 0, null)
                    : new FhirFetchResult(null, $"the record holds no read of prefetch '{key}'", "not-recorded", 0, 0, null));
            return await CdsHooksEndpoints.ComputeAsync(definition, call, decisions, Recorded, log, cancellationToken);
        }

        throw new InvalidOperationException($"The record's service '{service}' is not one this Herald answers.");
    }
}
