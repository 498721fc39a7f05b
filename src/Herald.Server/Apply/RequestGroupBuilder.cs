using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Core.Knowledge;
using Herald.Server.CdsHooks;

namespace Herald.Server.Apply;

/// <summary>
/// The <c>$apply</c> answer in the manner of HL7 CPG-on-FHIR (R4): a Bundle (type collection) holding
/// <list type="bullet">
/// <item>a RequestGroup (status draft, intent proposal) for the patient, naming Herald, the knowledge-base
/// version and the edition; its one action is the choice between the ranked regimens
/// (groupingBehavior logical-group, selectionBehavior at-most-one), with one child action per ranked
/// regimen in rank order (prefix "Rank n", title, description, <c>documentation</c> citing every
/// supporting statement, the regimen's own trials as such, then the trials a statement only cites, named as cited
/// by it); its notes say what was decided and give every alert, most severe first;</item>
/// <item>for each regimen, a RequestGroup with intent option whose actions reference the agents'
/// MedicationRequests (a group slot such as "chemotherapy" is an action without a resource: the
/// prescriber chooses the agent);</item>
/// <item>the MedicationRequests (status draft, intent proposal, RxNorm-coded where a checked code exists).</item>
/// </list>
/// Entries have urn:uuid fullUrls and reference each other by them. Excluded regimens are not actions.
/// Ids derive from the decision (patient, date, edition, knowledge-base version), so the same decision
/// gives the same Bundle apart from the timestamps.
/// </summary>
public static class RequestGroupBuilder
{
    public const string HeraldBase = "https://herald.example.org";

    public static JsonObject Build(DecisionDocument decision, string patientReference, DateTimeOffset now, KnowledgeBase? knowledge = null)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentException.ThrowIfNullOrWhiteSpace(patientReference);

        var scope = $"apply|{patientReference}|{decision.PatientId}|{decision.AsOf}|{decision.Edition}|{decision.KnowledgeBaseVersion}";
        var authoredOn = now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var subject = new JsonObject { ["reference"] = patientReference };
        var entries = new JsonArray();
        var tail = new List<(string Id, JsonObject Resource)>();

        var groupId = CardIds.For(scope, "request-group");
        var choice = new JsonArray();
        for (var i = 0; i < decision.Recommendations.Count; i++)
        {
            var option = decision.Recommendations[i];
            var regimen = option.Regimen;
            var optionGroupId = CardIds.For(scope, $"option/{i}/{regimen.Id}");

            var agentActions = new JsonArray();
            var medications = new List<(string Id, JsonObject Resource)>();
            foreach (var agent in MedicationProposals.Agents(regimen, knowledge))
            {
                if (agent.IsGroup)
                {
                    agentActions.Add(new JsonObject
                    {
                        ["title"] = agent.Agent,
                        ["description"] = $"The prescriber chooses the {agent.Agent}; Herald proposes no order for it.",
                    });
                    continue;
                }

                var requestId = CardIds.For(scope, $"option/{i}/{regimen.Id}/medication/{agent.Agent}");
                var request = MedicationProposals.MedicationRequest(
                    agent,
                    patientReference,
                    requestId,
                    $"Proposed by Herald: {regimen.Name}, rank {option.Rank}. Dose and schedule are the prescriber's.");
                request["authoredOn"] = authoredOn;
                medications.Add((requestId, request));
                agentActions.Add(new JsonObject
                {
                    ["title"] = agent.Agent,
                    ["description"] = agent.RxNormCode is { } code ? $"{agent.Agent} (RxNorm {code})" : $"{agent.Agent} (no checked RxNorm code)",
                    ["resource"] = new JsonObject { ["reference"] = "urn:uuid:" + requestId },
                });
            }

            var optionGroup = new JsonObject
            {
                ["resourceType"] = "RequestGroup",
                ["id"] = optionGroupId,
                ["status"] = "draft",
                ["intent"] = "option",
                ["subject"] = subject.DeepClone(),
                ["authoredOn"] = authoredOn,
                ["action"] = agentActions,
            };
            var notes = new JsonArray();
            foreach (var caution in option.Cautions)
            {
                notes.Add(new JsonObject { ["text"] = $"Caution: {caution.Text} ({caution.Source})" });
            }

            foreach (var monitoring in option.Monitoring)
            {
                notes.Add(new JsonObject { ["text"] = $"Monitoring: {monitoring.Text} ({monitoring.Source})" });
            }

            if (notes.Count > 0)
            {
                optionGroup["note"] = notes;
            }

            tail.Add((optionGroupId, optionGroup));
            tail.AddRange(medications);

            choice.Add(new JsonObject
            {
                ["id"] = $"rank-{option.Rank.ToString(CultureInfo.InvariantCulture)}-{regimen.Id}",
                ["prefix"] = $"Rank {option.Rank.ToString(CultureInfo.InvariantCulture)}",
                ["title"] = regimen.Name,
                ["description"] = Description(option, decision),
                ["documentation"] = Documentation(option),
                ["resource"] = new JsonObject { ["reference"] = "urn:uuid:" + optionGroupId },
            });
        }

        var actions = new JsonArray();
        if (choice.Count > 0)
        {
            actions.Add(new JsonObject
            {
                ["title"] = $"Choose a regimen: {decision.DecisionPoint.Label}",
                ["description"] = "Herald's ranked options, most preferred first; choose at most one. Options sharing a rank are not ordered by the sources.",
                ["groupingBehavior"] = "logical-group",
                ["selectionBehavior"] = "at-most-one",
                ["action"] = choice,
            });
        }

        var group = new JsonObject
        {
            ["resourceType"] = "RequestGroup",
            ["id"] = groupId,
            ["instantiatesCanonical"] = new JsonArray($"{HeraldBase}/PlanDefinition/{decision.Edition}|{decision.KnowledgeBaseVersion}"),
            ["status"] = "draft",
            ["intent"] = "proposal",
            ["subject"] = subject.DeepClone(),
            ["authoredOn"] = authoredOn,
            ["author"] = new JsonObject { ["display"] = "Herald" },
            ["reasonCode"] = new JsonArray(new JsonObject { ["text"] = DecisionPointText(decision) }),
            ["note"] = Notes(decision, choice.Count),
            ["action"] = actions,
        };

        entries.Add(Entry(groupId, group));
        foreach (var (id, resource) in tail)
        {
            entries.Add(Entry(id, resource));
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["id"] = CardIds.For(scope, "bundle"),
            ["type"] = "collection",
            ["timestamp"] = authoredOn,
            ["entry"] = entries,
        };
    }

    // What Herald decided, then every alert, most severe first as the decision lists them (the notice on dated sources among them).
    private static JsonArray Notes(DecisionDocument decision, int ranked)
    {
        var notes = new JsonArray(new JsonObject
        {
            ["text"] = $"Herald {decision.KnowledgeBaseVersion}, edition {decision.EditionName} ({decision.Edition}), as of {decision.AsOf}: "
                       + (ranked > 0
                           ? $"{ranked} ranked option(s); excluded regimens are not offered."
                           : "no regimen is ranked for this patient (see the decision's alerts and missing data)."),
        });
        foreach (var alert in decision.Alerts)
        {
            notes.Add(new JsonObject { ["text"] = $"{alert.Severity.ToUpperInvariant()} ({alert.Code}): {alert.Text} ({alert.Source})" });
        }

        return notes;
    }

    /// <summary>The Bundle as JSON text (readable, not HTML-escaped).</summary>
    public static string ToJson(JsonObject bundle) =>
        bundle.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static JsonObject Entry(string id, JsonObject resource) => new()
    {
        ["fullUrl"] = "urn:uuid:" + id,
        ["resource"] = resource,
    };

    private static string CitedBy(IReadOnlyList<string> statements) =>
        statements.Count == 1 ? $"cited by statement {statements[0]}" : $"cited by statements {string.Join(", ", statements)}";

    private static string DecisionPointText(DecisionDocument decision) =>
        decision.DecisionPoint.Line is { } line ? $"{decision.DecisionPoint.Label} (line {line})" : decision.DecisionPoint.Label;

    private static string Description(RecommendationDocument option, DecisionDocument decision)
    {
        var tied = option.Tied ? " Shares its rank with another option: the sources do not order them." : "";
        return $"{CardText.Capitalize(option.Preference)} at {DecisionPointText(decision).ToLowerInvariant()}; "
               + $"strength: {option.StrengthLabel} (ranked by {option.RankedBy}).{tied}";
    }

    // CPG-on-FHIR: each recommendation carries its citations. Statements first (their words, verbatim), then the
    // trials of the regimen itself (its evidence), then the trials a supporting statement only cites, said to be that.
    private static JsonArray Documentation(RecommendationDocument option)
    {
        var documentation = new JsonArray();
        foreach (var statement in option.Statements)
        {
            documentation.Add(new JsonObject
            {
                ["type"] = "citation",
                ["label"] = statement.Id,
                ["display"] = statement.Title,
                ["citation"] = $"{statement.Source} ({statement.Voice}): “{statement.Quote}”",
            });
        }

        foreach (var trial in option.Evidence.OrderBy(e => e.Basis == "regimen" ? 0 : 1))
        {
            var artifact = new JsonObject
            {
                ["type"] = "documentation",
                ["label"] = trial.Nct ?? trial.Trial,
                ["display"] = trial.Basis == "regimen"
                    ? $"{trial.Trial}: a trial of this regimen"
                    : $"{trial.Trial}: not a trial of this regimen; {CitedBy(trial.CitedBy)}",
            };
            if (trial.Publication is { } publication)
            {
                artifact["citation"] = publication;
            }

            if (trial.Nct is { } nct)
            {
                artifact["url"] = "https://clinicaltrials.gov/study/" + nct;
            }

            documentation.Add(artifact);
        }

        return documentation;
    }
}
