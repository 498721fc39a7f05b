using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using F = Hl7.Fhir.Model;

namespace Herald.Fhir.Tests.Reference;

/// <summary>The Firely SDK's POCO of a resource, put into a <see cref="Reading"/> with Herald's element names.</summary>
internal static class FirelyReadings
{
    public static Reading Of(Resource resource)
    {
        var reading = new Reading(resource.TypeName, resource.Id);
        Common(reading, resource);
        switch (resource)
        {
            case F.Patient p:
                reading.Add("birthDate", p.BirthDateElement?.Value);
                reading.Add("gender", Literal(p.GenderElement));
                break;
            case F.Condition c:
                Concept(reading, "clinicalStatus", c.ClinicalStatus);
                Concept(reading, "verificationStatus", c.VerificationStatus);
                Concept(reading, "code", c.Code);
                Concepts(reading, "bodySite", c.BodySite);
                Reference(reading, "subject", c.Subject);
                DateOrPeriod(reading, "onset", c.Onset);
                reading.Add("recordedDate", c.RecordedDateElement?.Value);
                break;
            case F.Observation o:
                reading.Add("status", Literal(o.StatusElement));
                Concept(reading, "code", o.Code);
                Reference(reading, "subject", o.Subject);
                for (var i = 0; i < o.Focus.Count; i++)
                {
                    Reference(reading, $"focus[{i}]", o.Focus[i]);
                }

                DateOrPeriod(reading, "effective", o.Effective);
                reading.Add("issued", Instant(o.IssuedElement?.JsonValue as string));
                Value(reading, "", o.Value);
                reading.Add("valueBoolean", (o.Value as FhirBoolean)?.Value);
                Concept(reading, "bodySite", o.BodySite);
                Concepts(reading, "interpretation", o.Interpretation);
                for (var i = 0; i < o.Component.Count; i++)
                {
                    Concept(reading, $"component[{i}].code", o.Component[i].Code);
                    Value(reading, $"component[{i}].", o.Component[i].Value);
                    Concepts(reading, $"component[{i}].interpretation", o.Component[i].Interpretation);
                }

                break;
            case F.MedicationRequest r:
                Record(reading, Literal(r.StatusElement), r.Medication, r.Subject, r.ReasonCode, r.ReasonReference);
                Concept(reading, "statusReason", r.StatusReason);
                reading.Add("authoredOn", r.AuthoredOnElement?.Value);
                for (var i = 0; i < r.DosageInstruction.Count; i++)
                {
                    Period(reading, $"dosageInstruction[{i}].timing.repeat.boundsPeriod", r.DosageInstruction[i].Timing?.Repeat?.Bounds as F.Period);
                }

                Period(reading, "dispenseRequest.validityPeriod", r.DispenseRequest?.ValidityPeriod);
                break;
            case F.MedicationAdministration a:
                Record(reading, Literal(a.StatusElement), a.Medication, a.Subject, a.ReasonCode, a.ReasonReference);
                Concepts(reading, "statusReason", a.StatusReason);
                DateOrPeriod(reading, "effective", a.Effective);
                break;
            case F.MedicationStatement s:
                Record(reading, Literal(s.StatusElement), s.Medication, s.Subject, s.ReasonCode, s.ReasonReference);
                Concepts(reading, "statusReason", s.StatusReason);
                DateOrPeriod(reading, "effective", s.Effective);
                reading.Add("dateAsserted", s.DateAssertedElement?.Value);
                break;
            case F.Medication m:
                MedicationBody(reading, "", m);
                break;
            case F.Procedure p:
                reading.Add("status", Literal(p.StatusElement));
                Concept(reading, "code", p.Code);
                Reference(reading, "subject", p.Subject);
                DateOrPeriod(reading, "performed", p.Performed);
                break;
            case F.AllergyIntolerance a:
                Concept(reading, "clinicalStatus", a.ClinicalStatus);
                Concept(reading, "verificationStatus", a.VerificationStatus);
                Concept(reading, "code", a.Code);
                Reference(reading, "patient", a.Patient);
                reading.Add("criticality", Literal(a.CriticalityElement));
                for (var i = 0; i < a.Reaction.Count; i++)
                {
                    Concepts(reading, $"reaction[{i}].manifestation", a.Reaction[i].Manifestation);
                    reading.Add($"reaction[{i}].description", a.Reaction[i].DescriptionElement?.Value);
                }

                break;
        }

        return reading;
    }

    /// <summary>An instant in one form ("2019-03-14T16:45:00.0000000-05:00"), its offset kept (Herald reads the date as written).</summary>
    public static string? Instant(DateTimeOffset? value) => value?.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Herald's instant text in the same form, when it is a full instant; else as written.</summary>
    public static string? Instant(string? text) =>
        text is not null && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) ? Instant(value) : text;

    private static void Record(Reading reading, string? status, DataType? medication, ResourceReference? subject,
        List<CodeableConcept> reasonCode, List<ResourceReference> reasonReference)
    {
        reading.Add("status", status);
        Concept(reading, "medicationCodeableConcept", medication as CodeableConcept);
        Reference(reading, "medicationReference", medication as ResourceReference);
        Reference(reading, "subject", subject);
        Concepts(reading, "reasonCode", reasonCode);
        for (var i = 0; i < reasonReference.Count; i++)
        {
            Reference(reading, $"reasonReference[{i}]", reasonReference[i]);
        }
    }

    private static void MedicationBody(Reading reading, string prefix, F.Medication m)
    {
        Concept(reading, prefix + "code", m.Code);
        for (var i = 0; i < m.Ingredient.Count; i++)
        {
            Concept(reading, $"{prefix}ingredient[{i}].itemCodeableConcept", m.Ingredient[i].Item as CodeableConcept);
            Reference(reading, $"{prefix}ingredient[{i}].itemReference", m.Ingredient[i].Item as ResourceReference);
        }
    }

    private static void Common(Reading reading, Resource resource)
    {
        var profiles = resource.Meta?.Profile.ToList() ?? [];
        for (var i = 0; i < profiles.Count; i++)
        {
            reading.Add($"meta.profile[{i}]", profiles[i]);
        }

        if (resource is not DomainResource domain)
        {
            return;
        }

        for (var i = 0; i < domain.Extension.Count; i++)
        {
            if (ExtensionValue(domain.Extension[i]) is CodeableConcept value)
            {
                reading.Add($"extension[{i}].url", domain.Extension[i].Url);
                Concept(reading, $"extension[{i}].valueCodeableConcept", value);
            }
        }

        foreach (var contained in domain.Contained.OfType<F.Medication>())
        {
            if (contained.Id is not null)
            {
                MedicationBody(reading, $"contained(Medication/{contained.Id}).", contained);
            }
        }
    }

    /// <summary>
    /// An extension's value, or null when Firely kept a value it could not type (an array where one value belongs, in an
    /// extension Herald does not read: reading it throws).
    /// </summary>
    private static DataType? ExtensionValue(Extension extension)
    {
        try
        {
            return extension.Value;
        }
        catch (Exception)
        {
            return null; // Firely's POCO throws on access to a value it kept untyped
        }
    }

    /// <summary>A choice element Herald reads as dateTime or Period (onset, effective, performed); other types it does not read.</summary>
    private static void DateOrPeriod(Reading reading, string name, DataType? value)
    {
        reading.Add(name + "DateTime", (value as FhirDateTime)?.Value);
        Period(reading, name + "Period", value as F.Period);
    }

    private static void Value(Reading reading, string prefix, DataType? value)
    {
        Concept(reading, prefix + "valueCodeableConcept", value as CodeableConcept);
        if (value is Quantity quantity)
        {
            reading.Add(prefix + "valueQuantity.value", quantity.Value);
            reading.Add(prefix + "valueQuantity.comparator", Literal(quantity.ComparatorElement));
            reading.Add(prefix + "valueQuantity.unit", quantity.Unit);
            reading.Add(prefix + "valueQuantity.system", quantity.System);
            reading.Add(prefix + "valueQuantity.code", quantity.Code);
        }

        reading.Add(prefix + "valueInteger", (value as Integer)?.Value);
        reading.Add(prefix + "valueString", (value as FhirString)?.Value);
    }

    private static void Concepts(Reading reading, string path, List<CodeableConcept> concepts)
    {
        for (var i = 0; i < concepts.Count; i++)
        {
            Concept(reading, $"{path}[{i}]", concepts[i]);
        }
    }

    private static void Concept(Reading reading, string path, CodeableConcept? concept)
    {
        if (concept is null)
        {
            return;
        }

        for (var i = 0; i < concept.Coding.Count; i++)
        {
            reading.Add($"{path}.coding[{i}].system", concept.Coding[i].System);
            reading.Add($"{path}.coding[{i}].code", concept.Coding[i].Code);
            reading.Add($"{path}.coding[{i}].display", concept.Coding[i].Display);
        }

        reading.Add($"{path}.text", concept.Text);
    }

    private static void Reference(Reading reading, string path, ResourceReference? reference)
    {
        reading.Add($"{path}.reference", reference?.Reference);
        reading.Add($"{path}.display", reference?.Display);
    }

    private static void Period(Reading reading, string path, F.Period? period)
    {
        reading.Add($"{path}.start", period?.StartElement?.Value);
        reading.Add($"{path}.end", period?.EndElement?.Value);
    }

    /// <summary>A code as written, also when it is not one of the enumeration's codes (read in backwards-compatible mode).</summary>
    private static string? Literal(PrimitiveType? code) => code?.JsonValue switch
    {
        null => null,
        string text => text,
        Enum value => value.GetLiteral(),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };
}
