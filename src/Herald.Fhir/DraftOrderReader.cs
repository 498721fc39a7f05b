using System.Text.Json;
using Herald.Core.Knowledge;
using Herald.Fhir.Lines;
using Herald.Fhir.Mapping;
using Herald.Fhir.Model;

namespace Herald.Fhir;

/// <summary>One draft medication order and the knowledge-base agents it names.</summary>
/// <param name="Reference">"MedicationRequest/id" (the id as sent; "#n" when it has none).</param>
/// <param name="Display">The order's medication text, for a card.</param>
/// <param name="Detail">How the agents were found (code, product code, text).</param>
public sealed record DraftOrder(string Reference, string? Id, IReadOnlyList<string> Agents, AgentMatch How, string? Display, string? Detail);

public sealed record DraftOrderReading(
    IReadOnlyList<DraftOrder> Orders,
    IReadOnlyList<UnmappedCode> Unmapped,
    IReadOnlyList<FhirReadError> Errors);

/// <summary>
/// Reads the CDS Hooks order-sign <c>context.draftOrders</c> Bundle: each MedicationRequest with the agents
/// its medication names (a CodeableConcept, or a contained or bundled Medication). Other order types are
/// ignored. An unresolved order is reported as unmapped when it is plausibly an anticancer drug.
/// </summary>
public static class DraftOrderReader
{
    public static DraftOrderReading Read(JsonElement draftOrders, KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(kb);
        var set = new FhirResourceSet();
        set.Add(draftOrders, "context.draftOrders");
        var orders = new List<DraftOrder>();
        var unmapped = new List<UnmappedCode>();
        foreach (var stored in set.MedicationRecords.Where(r => r.Resource is MedicationRequest))
        {
            var naming = MedicationCodes.Read(set, stored.Resource, kb);
            var display = naming.Concept?.Label ?? stored.Resource.MedicationReference?.Display;
            orders.Add(new DraftOrder(stored.Key, stored.Resource.Id, naming.Resolution.Agents, naming.Resolution.How, display, naming.Resolution.Detail));
            if (naming.Resolution.Agents.Count == 0
                && (new[] { naming.Text }.Concat(naming.Codings.Select(c => c.Display)).Any(TextRules.LooksAntineoplastic)
                    || naming.Problem is not null))
            {
                unmapped.Add(Coded.Unmapped(stored.Key, naming.Element, "anticancer drug", naming.Concept));
            }
        }

        return new DraftOrderReading(orders, unmapped, set.Errors);
    }
}
