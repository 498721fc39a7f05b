using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Core.Knowledge;

namespace Herald.Server.CdsHooks;

/// <summary>One agent of a regimen as a FHIR MedicationRequest proposal, or a slot left for the prescriber.</summary>
public sealed record ProposedAgent(string Agent, string? RxNormCode, bool IsGroup, string? CodeConfidence = null);

/// <summary>
/// FHIR R4 MedicationRequest proposals for a ranked regimen, coded with the RxNorm ingredient codes the
/// decision carries (shared/codes.md). No dose or schedule: Herald's sources do not set them for this
/// patient, so the prescriber does.
/// </summary>
public static class MedicationProposals
{
    public const string RxNormSystem = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /// <summary>
    /// The regimen's agents in order. A group slot ("chemotherapy") is marked when the knowledge base says
    /// so; it is not proposed as an order, since the agent is the prescriber's choice.
    /// </summary>
    public static IReadOnlyList<ProposedAgent> Agents(RegimenDocument regimen, KnowledgeBase? knowledge)
    {
        ArgumentNullException.ThrowIfNull(regimen);
        return regimen.Agents.Select(agent =>
        {
            var code = regimen.Codes.FirstOrDefault(c => c.Agent == agent && IsRxNorm(c.System))?.Code;
            var isGroup = code is null && knowledge is not null && knowledge.FindAgent(agent) is null && IsGroupName(knowledge, agent);
            return new ProposedAgent(agent, code, isGroup);
        }).ToArray();
    }

    /// <summary>
    /// A ranked option's agents in order, from the knowledge base: a named agent with its RxNorm code, or an open
    /// slot ("chemotherapy") that is the prescriber's choice.
    /// </summary>
    public static IReadOnlyList<ProposedAgent> Agents(Herald.Core.Decisions.RankedOption option, KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(option);
        ArgumentNullException.ThrowIfNull(knowledge);
        var regimen = option.Regimen;
        if (regimen.Kind == Herald.Core.Knowledge.RegimenKind.Standard)
        {
            return regimen.Components.Select(c => c.Agent is { } agent ? Named(agent) : Slot(c)).ToArray();
        }

        // "Continue the current regimen" and its kin: the patient's own agents, then any open slot.
        return option.Agents.Indices().Select(i => Named(knowledge.Agents[i]))
            .Concat(regimen.Components.Where(c => c.Group is not null).Select(Slot))
            .ToArray();

        static ProposedAgent Slot(Herald.Core.Knowledge.RegimenComponent component) => new(component.DisplayName, null, IsGroup: true);

        static ProposedAgent Named(Herald.Core.Knowledge.Agent agent) =>
            new(agent.Name, agent.RxNorm?.Code, IsGroup: false, agent.RxNorm?.Confidence.Id());
    }

    /// <summary>A draft MedicationRequest with intent proposal for one agent.</summary>
    public static JsonObject MedicationRequest(ProposedAgent agent, string patientReference, string? id = null, string? note = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var concept = new JsonObject();
        if (agent.RxNormCode is { } code)
        {
            concept["coding"] = new JsonArray(new JsonObject
            {
                ["system"] = RxNormSystem,
                ["code"] = code,
                ["display"] = agent.Agent,
            });
        }

        concept["text"] = agent.Agent;

        var request = new JsonObject { ["resourceType"] = "MedicationRequest" };
        if (id is not null)
        {
            request["id"] = id;
        }

        request["status"] = "draft";
        request["intent"] = "proposal";
        request["medicationCodeableConcept"] = concept;
        request["subject"] = new JsonObject { ["reference"] = patientReference };
        if (note is not null)
        {
            request["note"] = new JsonArray(new JsonObject { ["text"] = note });
        }

        return request;
    }

    private static bool IsRxNorm(string system) =>
        system.Equals("RxNorm", StringComparison.OrdinalIgnoreCase) || system == RxNormSystem;

    private static bool IsGroupName(KnowledgeBase knowledge, string name) =>
        knowledge.Groups.Any(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)
                                  || string.Equals(g.Id, name, StringComparison.OrdinalIgnoreCase));
}
