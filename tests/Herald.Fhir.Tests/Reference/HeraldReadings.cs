using System.Text.Json;
using Herald.Fhir.Model;

namespace Herald.Fhir.Tests.Reference;

/// <summary>Herald's model of a resource, put into a <see cref="Reading"/>: exactly what the mapper can see.</summary>
internal static class HeraldReadings
{
    public static Reading Of(FhirResourceSet set, FhirResource resource)
    {
        var reading = new Reading(resource.ResourceType!, resource.Id);
        Common(set, reading, resource);
        switch (resource)
        {
            case Model.Patient p:
                reading.Add("birthDate", p.BirthDate);
                reading.Add("gender", p.Gender);
                break;
            case Condition c:
                Concept(reading, "clinicalStatus", c.ClinicalStatus);
                Concept(reading, "verificationStatus", c.VerificationStatus);
                Concept(reading, "code", c.Code);
                Concepts(reading, "bodySite", c.BodySite);
                Reference(reading, "subject", c.Subject);
                reading.Add("onsetDateTime", c.OnsetDateTime);
                Period(reading, "onsetPeriod", c.OnsetPeriod);
                reading.Add("recordedDate", c.RecordedDate);
                break;
            case Observation o:
                reading.Add("status", o.Status);
                Concept(reading, "code", o.Code);
                Reference(reading, "subject", o.Subject);
                for (var i = 0; i < (o.Focus?.Count ?? 0); i++)
                {
                    Reference(reading, $"focus[{i}]", o.Focus![i]);
                }

                reading.Add("effectiveDateTime", o.EffectiveDateTime);
                Period(reading, "effectivePeriod", o.EffectivePeriod);
                reading.Add("issued", FirelyReadings.Instant(o.Issued));
                Value(reading, "", o.ValueCodeableConcept, o.ValueQuantity, o.ValueInteger, o.ValueString);
                reading.Add("valueBoolean", o.ValueBoolean);
                Concept(reading, "bodySite", o.BodySite);
                Concepts(reading, "interpretation", o.Interpretation);
                for (var i = 0; i < (o.Component?.Count ?? 0); i++)
                {
                    var component = o.Component![i];
                    Concept(reading, $"component[{i}].code", component.Code);
                    Value(reading, $"component[{i}].", component.ValueCodeableConcept, component.ValueQuantity, component.ValueInteger, component.ValueString);
                    Concepts(reading, $"component[{i}].interpretation", component.Interpretation);
                }

                break;
            case MedicationRecord m:
                Record(reading, m);
                break;
            case Medication m:
                MedicationBody(reading, "", m);
                break;
            case Procedure p:
                reading.Add("status", p.Status);
                Concept(reading, "code", p.Code);
                Reference(reading, "subject", p.Subject);
                reading.Add("performedDateTime", p.PerformedDateTime);
                Period(reading, "performedPeriod", p.PerformedPeriod);
                break;
            case AllergyIntolerance a:
                Concept(reading, "clinicalStatus", a.ClinicalStatus);
                Concept(reading, "verificationStatus", a.VerificationStatus);
                Concept(reading, "code", a.Code);
                Reference(reading, "patient", a.Patient);
                reading.Add("criticality", a.Criticality);
                for (var i = 0; i < (a.Reaction?.Count ?? 0); i++)
                {
                    Concepts(reading, $"reaction[{i}].manifestation", a.Reaction![i].Manifestation);
                    reading.Add($"reaction[{i}].description", a.Reaction![i].Description);
                }

                break;
        }

        return reading;
    }

    private static void Record(Reading reading, MedicationRecord m)
    {
        reading.Add("status", m.Status);
        Concept(reading, "medicationCodeableConcept", m.MedicationCodeableConcept);
        Reference(reading, "medicationReference", m.MedicationReference);
        Reference(reading, "subject", m.Subject);
        Concepts(reading, "reasonCode", m.ReasonCode);
        for (var i = 0; i < (m.ReasonReference?.Count ?? 0); i++)
        {
            Reference(reading, $"reasonReference[{i}]", m.ReasonReference![i]);
        }

        switch (m)
        {
            case MedicationRequest r:
                Concept(reading, "statusReason", r.StatusReason);
                reading.Add("authoredOn", r.AuthoredOn);
                for (var i = 0; i < (r.DosageInstruction?.Count ?? 0); i++)
                {
                    Period(reading, $"dosageInstruction[{i}].timing.repeat.boundsPeriod", r.DosageInstruction![i].Timing?.Repeat?.BoundsPeriod);
                }

                Period(reading, "dispenseRequest.validityPeriod", r.DispenseRequest?.ValidityPeriod);
                break;
            case MedicationAdministration a:
                Concepts(reading, "statusReason", a.StatusReason);
                reading.Add("effectiveDateTime", a.EffectiveDateTime);
                Period(reading, "effectivePeriod", a.EffectivePeriod);
                break;
            case MedicationStatement s:
                Concepts(reading, "statusReason", s.StatusReason);
                reading.Add("effectiveDateTime", s.EffectiveDateTime);
                Period(reading, "effectivePeriod", s.EffectivePeriod);
                reading.Add("dateAsserted", s.DateAsserted);
                break;
        }
    }

    private static void MedicationBody(Reading reading, string prefix, Medication m)
    {
        Concept(reading, prefix + "code", m.Code);
        for (var i = 0; i < (m.Ingredient?.Count ?? 0); i++)
        {
            Concept(reading, $"{prefix}ingredient[{i}].itemCodeableConcept", m.Ingredient![i].ItemCodeableConcept);
            Reference(reading, $"{prefix}ingredient[{i}].itemReference", m.Ingredient![i].ItemReference);
        }
    }

    /// <summary>
    /// meta.profile; the CodeableConcept value of each extension (the only extension value Herald reads, through the
    /// same model the mapper uses); each contained Medication as the mapper resolves it from a '#id' reference.
    /// </summary>
    private static void Common(FhirResourceSet set, Reading reading, FhirResource resource)
    {
        for (var i = 0; i < (resource.Meta?.Profile?.Count ?? 0); i++)
        {
            reading.Add($"meta.profile[{i}]", resource.Meta!.Profile![i]);
        }

        for (var i = 0; i < (resource.Extension?.Count ?? 0); i++)
        {
            var raw = resource.Extension![i];
            if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("valueCodeableConcept", out var value) && value.ValueKind != JsonValueKind.Null)
            {
                var extension = raw.Deserialize(FhirJsonContext.Default.Extension)!;
                reading.Add($"extension[{i}].url", extension.Url);
                Concept(reading, $"extension[{i}].valueCodeableConcept", extension.ValueCodeableConcept);
            }
        }

        foreach (var raw in resource.Contained ?? [])
        {
            if (raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "Medication" && raw.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
            {
                var medication = set.ResolveMedication(resource, "#" + id.GetString());
                Assert.NotNull(medication); // a contained Medication the reader kept must resolve
                MedicationBody(reading, $"contained(Medication/{id.GetString()}).", medication);
            }
        }
    }

    private static void Value(Reading reading, string prefix, CodeableConcept? concept, Quantity? quantity, int? integer, string? text)
    {
        Concept(reading, prefix + "valueCodeableConcept", concept);
        if (quantity is not null)
        {
            reading.Add(prefix + "valueQuantity.value", quantity.Value);
            reading.Add(prefix + "valueQuantity.comparator", quantity.Comparator);
            reading.Add(prefix + "valueQuantity.unit", quantity.Unit);
            reading.Add(prefix + "valueQuantity.system", quantity.System);
            reading.Add(prefix + "valueQuantity.code", quantity.Code);
        }

        reading.Add(prefix + "valueInteger", integer);
        reading.Add(prefix + "valueString", text);
    }

    private static void Concepts(Reading reading, string path, List<CodeableConcept>? concepts)
    {
        for (var i = 0; i < (concepts?.Count ?? 0); i++)
        {
            Concept(reading, $"{path}[{i}]", concepts![i]);
        }
    }

    private static void Concept(Reading reading, string path, CodeableConcept? concept)
    {
        if (concept is null)
        {
            return;
        }

        for (var i = 0; i < (concept.Coding?.Count ?? 0); i++)
        {
            var coding = concept.Coding![i];
            reading.Add($"{path}.coding[{i}].system", coding.System);
            reading.Add($"{path}.coding[{i}].code", coding.Code);
            reading.Add($"{path}.coding[{i}].display", coding.Display);
        }

        reading.Add($"{path}.text", concept.Text);
    }

    private static void Reference(Reading reading, string path, ResourceReference? reference)
    {
        reading.Add($"{path}.reference", reference?.Value);
        reading.Add($"{path}.display", reference?.Display);
    }

    private static void Period(Reading reading, string path, Period? period)
    {
        reading.Add($"{path}.start", period?.Start);
        reading.Add($"{path}.end", period?.End);
    }
}
