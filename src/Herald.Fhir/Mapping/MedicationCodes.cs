using Herald.Core.Knowledge;
using Herald.Fhir.Lines;
using Herald.Fhir.Medications;
using Herald.Fhir.Model;

namespace Herald.Fhir.Mapping;

/// <summary>What a medication record names: its codes and text, read through a referenced Medication when there is one.</summary>
internal sealed record MedicationNaming(
    IReadOnlyList<CodedValue> Codings,
    string? Text,
    AgentResolution Resolution,
    CodeableConcept? Concept,
    string Element,
    string? Problem);

internal static class MedicationCodes
{
    /// <summary>
    /// Resolves the agents of medication[x]: the CodeableConcept, or the Medication referenced ('#contained',
    /// 'Medication/id', a urn:uuid fullUrl); a Medication whose own code is unknown is read by its ingredients.
    /// </summary>
    public static MedicationNaming Read(FhirResourceSet set, MedicationRecord record, KnowledgeBase kb)
    {
        if (record.MedicationCodeableConcept is { } concept)
        {
            var codings = Coded.Values(concept);
            return new MedicationNaming(codings, concept.Text, MedicationResolver.Resolve(codings, concept.Text, kb), concept, "medicationCodeableConcept", null);
        }

        var reference = record.MedicationReference?.Value;
        var medication = set.ResolveMedication(record, reference);
        if (medication is null)
        {
            var display = record.MedicationReference?.Display;
            var byDisplay = MedicationResolver.Resolve([], display, kb);
            return new MedicationNaming([], display, byDisplay, new CodeableConcept { Text = display }, "medicationReference",
                reference is null ? "no medication[x]" : $"the Medication '{reference}' is not in the resources");
        }

        var code = Coded.Values(medication.Code);
        var resolution = MedicationResolver.Resolve(code, medication.Code?.Text, kb);
        if (resolution.Agents.Count == 0 && medication.Ingredient is { Count: > 0 } ingredients)
        {
            var agents = new List<string>();
            var details = new List<string>();
            var how = AgentMatch.None;
            foreach (var ingredient in ingredients)
            {
                var item = ingredient.ItemCodeableConcept
                    ?? (set.ResolveMedication(record, ingredient.ItemReference?.Value) is { } nested ? nested.Code : null);
                if (item is null)
                {
                    continue;
                }

                var part = MedicationResolver.Resolve(Coded.Values(item), item.Text, kb);
                foreach (var agent in part.Agents.Where(a => !agents.Contains(a)))
                {
                    agents.Add(agent);
                }

                if (part.How != AgentMatch.None)
                {
                    how = how == AgentMatch.None || part.How < how ? part.How : how;
                    details.Add(part.Detail ?? "");
                }
            }

            if (agents.Count > 0)
            {
                resolution = new AgentResolution(agents, how, "ingredients: " + string.Join("; ", details));
            }
        }

        return new MedicationNaming(code, medication.Code?.Text, resolution, medication.Code, "medicationReference", null);
    }
}
