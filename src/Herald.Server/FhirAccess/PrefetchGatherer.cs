using System.Text.Json;
using Herald.Contracts.Patients;
using Herald.Fhir;
using Herald.Server.CdsHooks;

namespace Herald.Server.FhirAccess;

/// <summary>A call's FHIR data, or what kept it from being complete.</summary>
/// <param name="Missing">One sentence per prefetch key that could not be read whole (answer 412).</param>
/// <param name="Malformed">Faults in FHIR data that was read (answer 400).</param>
/// <param name="Skipped">Supplementary keys neither prefetched nor read from fhirServer, said in the answer's notes.</param>
public sealed record GatheredPrefetch(FhirResourceSet Resources, IReadOnlyList<string> Missing, IReadOnlyList<InputError> Malformed, IReadOnlyList<string> Skipped);

/// <summary>
/// Every prefetch key of a CDS Hooks service, from the request or else from <c>fhirServer</c>. A key's value is used
/// only when it is a complete answer (<see cref="FhirCompleteness"/>): an OperationOutcome, an error outcome entry,
/// a next link or a short total make it be read from fhirServer as a missing key is, or, without a fhirServer,
/// named in the 412. Logs carry ids, counts and reason codes only: never the query (it holds the patient id), the
/// server's words or the token.
/// </summary>
public sealed class PrefetchGatherer
{
    // Only its static members are used; the type names the log category (ILogger<PrefetchGatherer>).
    private PrefetchGatherer()
    {
    }

    /// <summary>
    /// Gathers with <paramref name="fetch"/> (the prefetch key, fhirServer, the query, the access token) reading what is
    /// missing: the network live, the audit record's reads when an answer is replayed.
    /// </summary>
    public static async Task<GatheredPrefetch> GatherAsync(
        CdsServiceDefinition service, CdsServiceRequest request, string patientId,
        Func<string, string, string, string?, CancellationToken, Task<FhirFetchResult>> fetch, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fetch);
        ArgumentNullException.ThrowIfNull(log);
        // The request's document (and each fetched resource's) lives until the answer is made: the set need not copy them.
        var resources = FhirResourceSet.OverLiveDocuments();
        var missing = new List<string>();
        var malformed = new List<InputError>();
        var skipped = new List<string>();
        foreach (var (key, query) in CdsServiceCatalog.ExpandAll(service, patientId))
        {
            JsonElement? value = request.Prefetch is not null && request.Prefetch.TryGetValue(key, out var given) && given is { ValueKind: not JsonValueKind.Null } ? given : null;
            string? incomplete = null;
            if (value is { } prefetched)
            {
                var findings = FhirCompleteness.Check(prefetched, $"prefetch.{key}");
                if (findings.Count > 0)
                {
                    incomplete = string.Join("; ", findings);
                    log.LogWarning("Prefetch {PrefetchKey} of {Service} call {HookInstance} is not a complete answer ({Reasons}); {Action}",
                        key, service.Id, request.HookInstance, Codes(findings), request.FhirServer is null ? "answering 412" : "reading it from fhirServer");
                    value = null;
                }
            }

            if (value is null)
            {
                var why = incomplete is null ? $"prefetch '{key}' ({query}) is missing" : $"prefetch '{key}' is not a complete answer ({incomplete})";
                var supplementary = CdsServiceCatalog.SupplementaryPrefetchKeys.Contains(key);
                if (request.FhirServer is null)
                {
                    (supplementary ? skipped : missing).Add($"{why} and the request names no fhirServer to read it from");
                    continue;
                }

                var fetched = await fetch(key, request.FhirServer, query, request.FhirAuthorization?.AccessToken, cancellationToken);
                Log(log, service, request, key, fetched);
                if (!fetched.Succeeded)
                {
                    (supplementary ? skipped : missing).Add($"{why} and {fetched.Failure}");
                    continue;
                }

                value = fetched.Resource;
            }

            foreach (var error in resources.Add(value!.Value, $"prefetch.{key}"))
            {
                malformed.Add(new InputError(error.Path, error.Message));
            }
        }

        return new GatheredPrefetch(resources, missing, malformed, skipped);
    }

    private static void Log(ILogger log, CdsServiceDefinition service, CdsServiceRequest request, string key, FhirFetchResult fetched)
    {
        if (fetched.Succeeded)
        {
            log.LogInformation("Read prefetch {PrefetchKey} of {Service} call {HookInstance} from fhirServer: {Pages} pages, {Entries} entries, total claimed {TotalClaimed}",
                key, service.Id, request.HookInstance, fetched.Pages, fetched.Entries, Total(fetched));
        }
        else
        {
            log.LogWarning("Could not read prefetch {PrefetchKey} of {Service} call {HookInstance} from fhirServer ({Reason}): {Pages} pages, {Entries} entries read, total claimed {TotalClaimed}; answering 412",
                key, service.Id, request.HookInstance, fetched.Reason, fetched.Pages, fetched.Entries, Total(fetched));
        }
    }

    private static object Total(FhirFetchResult fetched) => fetched.TotalClaimed is { } total ? total : "none";

    private static string Codes(IEnumerable<CompletenessFinding> findings) => string.Join(",", findings.Select(f => f.Code).Distinct());
}
