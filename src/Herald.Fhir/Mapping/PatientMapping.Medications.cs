using System.Text.Json.Nodes;
using Herald.Fhir.Lines;
using Herald.Fhir.Medications;
using Herald.Fhir.Model;

namespace Herald.Fhir.Mapping;

internal sealed partial class PatientMapping
{
    // ---- Medication records → MedicationUse ----

    private List<MedicationUse> ReadMedicationUses()
    {
        var uses = new List<MedicationUse>();
        var unknownCoded = new List<string>();
        foreach (var stored in Mine(set.MedicationRecords, r => r.Subject))
        {
            var record = stored.Resource;
            var key = stored.Key;
            var naming = MedicationCodes.Read(set, record, kb);
            if (naming.Resolution.Agents.Count == 0)
            {
                // Never dropped silently. A plausibly anticancer drug, or one Herald cannot judge (text only, as "Enhertu
                // 5.4 mg/kg", or a code system it does not read), is unmapped with a note; an RxNorm drug Herald does
                // not know (medications.yaml holds every HER2 agent's codes) is listed in one note.
                var described = naming.Text ?? naming.Codings.Select(c => c.Display ?? c.Code).FirstOrDefault(d => d is not null) ?? "(no code or text)";
                var plausible = PlausiblyAnticancer(record, naming);
                if (plausible || naming.Problem is not null || !naming.Codings.Any(c => MedicationResolver.IsRxNorm(c.System)))
                {
                    unmapped.Add(naming.Concept is not null
                        ? Coded.Unmapped(key, naming.Element, plausible ? "anticancer drug" : "medication", naming.Concept)
                        : Coded.UnmappedText(key, naming.Element, plausible ? "anticancer drug" : "medication", naming.Text));
                    notes.Add(new MappingNote("metastaticRegimens",
                        $"Medication not read: {naming.Problem ?? $"'{described}' is not a drug Herald knows"}; if it is anticancer treatment, enter it.",
                        key));
                }
                else
                {
                    unknownCoded.Add($"{key} ({described})");
                }

                continue;
            }

            if (naming.Resolution.How is AgentMatch.Product or AgentMatch.Text)
            {
                notes.Add(new MappingNote("medications", naming.Resolution.Detail ?? "", key));
            }

            if (UseStatus(record) is not { } status)
            {
                notes.Add(new MappingNote("medications", $"Status '{record.Status}': not a treatment given; not used.", key));
                continue;
            }

            var (start, end) = Dates(record);
            if (start is null)
            {
                notes.Add(new MappingNote("medications", "No date (effective[x], dosage bounds, validity period or authoredOn): not used.", key));
                continue;
            }

            if (end is { } e && e < start)
            {
                notes.Add(new MappingNote("medications", $"End {Format(e)} before start {Format(start.Value)}: end ignored.", key));
                end = null;
            }

            var intent = Intent(stored);
            var (stopReason, stopSource, toxicity) = StopReason(stored);
            uses.Add(new MedicationUse(key, naming.Resolution.Agents, start.Value, end, status, intent, stopReason, stopSource, toxicity));
        }

        if (unknownCoded.Count > 0)
        {
            notes.Add(new MappingNote("medications",
                $"{unknownCoded.Count} RxNorm-coded medication record{(unknownCoded.Count == 1 ? " is" : "s are")} not a drug Herald reads and not plausibly anticancer, so not used: {string.Join(", ", unknownCoded)}."));
        }

        return uses;
    }

    /// <summary>
    /// Only a plausibly anticancer drug is reported when unknown, so supportive drugs (antiemetics, bone
    /// agents, and Synthea's everyday prescriptions) do not flood the list: a name with an antineoplastic
    /// INN stem, or a record marked cancer-related (mCODE profile or treatment intent).
    /// </summary>
    private bool PlausiblyAnticancer(MedicationRecord record, MedicationNaming naming)
    {
        var names = new[] { naming.Text }.Concat(naming.Codings.Select(c => c.Display));
        return names.Any(TextRules.LooksAntineoplastic)
            || record.HasProfile(table.Profile("cancer-related-medication-request"))
            || record.HasProfile(table.Profile("cancer-related-medication-administration"))
            || Coded.ExtensionValue(record, table.Extensions["treatment-intent"]) is not null;
    }

    private static MedicationUseStatus? UseStatus(MedicationRecord record)
    {
        var status = record.Status?.Trim().ToLowerInvariant();
        return record switch
        {
            MedicationRequest => status switch
            {
                "active" or "on-hold" => MedicationUseStatus.Active,
                "completed" => MedicationUseStatus.Completed,
                "stopped" => MedicationUseStatus.Stopped,
                "cancelled" or "entered-in-error" or "draft" => null,
                _ => MedicationUseStatus.Unknown,
            },
            MedicationAdministration => status switch
            {
                "in-progress" or "on-hold" => MedicationUseStatus.Active,
                "completed" => MedicationUseStatus.Completed,
                "stopped" => MedicationUseStatus.Stopped,
                "not-done" or "entered-in-error" => null,
                _ => MedicationUseStatus.Unknown,
            },
            _ => status switch
            {
                "active" or "on-hold" => MedicationUseStatus.Active,
                "completed" => MedicationUseStatus.Completed,
                "stopped" => MedicationUseStatus.Stopped,
                "not-taken" or "entered-in-error" or "intended" => null,
                _ => MedicationUseStatus.Unknown,
            },
        };
    }

    /// <summary>
    /// Administration and statement: effective[x]. Request: the dosage timing bounds, else the dispense
    /// validity period, else authoredOn for the start.
    /// </summary>
    private static (DateOnly? Start, DateOnly? End) Dates(MedicationRecord record)
    {
        switch (record)
        {
            case MedicationRequest request:
                var bounds = request.DosageInstruction?.Select(d => d.Timing?.Repeat?.BoundsPeriod).FirstOrDefault(b => b is not null);
                var validity = request.DispenseRequest?.ValidityPeriod;
                return (FhirDate.Read(bounds?.Start) ?? FhirDate.Read(validity?.Start) ?? FhirDate.Read(request.AuthoredOn),
                    FhirDate.Read(bounds?.End) ?? FhirDate.Read(validity?.End));
            case MedicationAdministration administration:
                return Effective(administration.EffectiveDateTime, administration.EffectivePeriod);
            case MedicationStatement statement:
                return Effective(statement.EffectiveDateTime, statement.EffectivePeriod);
            default:
                return (null, null);
        }

        static (DateOnly?, DateOnly?) Effective(string? dateTime, Period? period) =>
            FhirDate.Read(dateTime) is { } at ? (at, at) : (FhirDate.Read(period?.Start), FhirDate.Read(period?.End));
    }

    private TreatmentIntent Intent(Stored<MedicationRecord> stored)
    {
        var value = Coded.ExtensionValue(stored.Resource, table.Extensions["treatment-intent"]);
        if (value is null)
        {
            return TreatmentIntent.Unknown;
        }

        switch (table.Find("treatment-intent", Coded.Values(value))?.Means)
        {
            case "curative": return TreatmentIntent.Curative;
            case "palliative": return TreatmentIntent.Palliative;
            case "unknown": return TreatmentIntent.Unknown;
            default:
                unmapped.Add(Coded.Unmapped(stored.Key, "extension(treatment intent)", "treatment intent", value));
                return TreatmentIntent.Unknown;
        }
    }

    /// <summary>
    /// Why the record stopped, and for a toxicity what it was: a termination-reason code, a disease code Herald reads
    /// (heart failure → cardiac; pneumonitis, interstitial lung disease → other), else the words (TextRules).
    /// </summary>
    private (string? Reason, string? Source, string? Toxicity) StopReason(Stored<MedicationRecord> stored)
    {
        var record = stored.Resource;
        var candidates = record.StatusReasons.Select(r => (Concept: r, Element: "statusReason")).ToList();
        if (Coded.ExtensionValue(record, table.Extensions["termination-reason"]) is { } extension)
        {
            candidates.Add((extension, "extension(termination reason)"));
        }

        foreach (var (concept, element) in candidates)
        {
            var kindByText = TextRules.ToxicityKind(concept.Text) ?? concept.Coding?.Select(c => TextRules.ToxicityKind(c.Display)).FirstOrDefault(k => k is not null);
            if (table.Find("termination-reason", Coded.Values(concept)) is { } row)
            {
                var kind = row.Means == "toxicity" ? kindByText : null;
                NoteToxicity(kind, concept, stored.Key);
                return (row.Means, $"{stored.Key}.{element} ({Coded.Describe(row)})", kind);
            }

            if (table.Find("comorbidity", Coded.Values(concept)) is { Means: "heart-failure" or "pneumonitis" or "interstitial-lung-disease" } disease)
            {
                var kind = disease.Means == "heart-failure" ? "cardiac" : "other";
                notes.Add(new MappingNote("metastaticRegimens", $"Stop reason {Coded.Describe(disease)} read as toxicity ({kind}).", stored.Key));
                return ("toxicity", $"{stored.Key}.{element} ({Coded.Describe(disease)})", kind);
            }

            if (TextRules.StopReason(concept.Label) is { } byText)
            {
                var kind = byText == "toxicity" ? kindByText : null;
                notes.Add(new MappingNote("metastaticRegimens", $"Stop reason '{concept.Label}' read as {byText}{(kind is null ? "" : $" ({kind})")} by its text.", stored.Key));
                return (byText, $"{stored.Key}.{element} (text)", kind);
            }

            unmapped.Add(Coded.Unmapped(stored.Key, element, "stop reason", concept));
        }

        return (null, null, null);
    }

    private void NoteToxicity(string? kind, CodeableConcept concept, string key)
    {
        if (kind is not null)
        {
            notes.Add(new MappingNote("metastaticRegimens", $"Toxicity '{concept.Label}' read as {kind} by its text.", key));
        }
    }

    // ---- Allergies ----

    private void ReadAllergies(JsonObject patient)
    {
        var allergies = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stored in Mine(set.Allergies, a => a.Patient))
        {
            var allergy = stored.Resource;
            if (Refuted(allergy.VerificationStatus) || Coded.StatusCode(allergy.ClinicalStatus) is "inactive" or "resolved")
            {
                continue;
            }

            var codings = Coded.Values(allergy.Code);
            var substances = MedicationResolver.Resolve(codings, allergy.Code?.Text, kb).Agents.ToList();
            if (substances.Count == 0 && Group(allergy.Code) is { } group)
            {
                substances.Add(group);
            }

            if (substances.Count == 0)
            {
                continue; // not a drug Herald knows (foods, pollen, other drugs): not a concept Herald reads
            }

            var reaction = allergy.Reaction?.SelectMany(r => r.Manifestation ?? []).Select(m => m.Label).FirstOrDefault(l => l is not null)
                ?? allergy.Reaction?.Select(r => r.Description).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
            foreach (var substance in substances.Where(seen.Add))
            {
                var entry = new JsonObject { ["substance"] = substance };
                if (reaction is not null)
                {
                    entry["reaction"] = reaction;
                }

                allergies.Add(entry);
            }
        }

        if (allergies.Count > 0)
        {
            patient["allergies"] = allergies;
        }
    }

    /// <summary>An allergy to a class ("taxanes"): a knowledge-base group by id or name, singular or plural.</summary>
    private string? Group(CodeableConcept? code)
    {
        var texts = new[] { code?.Text }.Concat(code?.Coding?.Select(c => c.Display) ?? []).Where(t => !string.IsNullOrWhiteSpace(t));
        foreach (var text in texts)
        {
            var name = text!.Trim().ToLowerInvariant();
            var group = kb.FindGroup(name) ?? (name.EndsWith('s') ? kb.FindGroup(name[..^1]) : null)
                ?? kb.Groups.FirstOrDefault(g => g.Name.Equals(name, StringComparison.OrdinalIgnoreCase)
                    || (name.EndsWith('s') && g.Name.Equals(name[..^1], StringComparison.OrdinalIgnoreCase)));
            if (group is not null)
            {
                return group.Id;
            }
        }

        return null;
    }

    // ---- Early disease and metastatic lines into the native input ----

    private void WriteEarlyDisease(JsonObject patient, IReadOnlyList<EarlyTreatment> early, List<MedicationUse> uses)
    {
        if (early.Count == 0)
        {
            return;
        }

        var surgery = surgeries.Where(s => metastaticDiagnosisDate is not { } md || s.Date <= md).Select(s => (DateOnly?)s.Date).FirstOrDefault();
        if (surgery is null)
        {
            notes.Add(new MappingNote("earlyDisease.regimens",
                "No breast surgery (Procedure) is recorded before the metastatic diagnosis, so neoadjuvant and adjuvant cannot be told apart: the early regimens are given the setting 'adjuvant'. Correct it if they were neoadjuvant."));
        }

        var regimens = new JsonArray();
        foreach (var treatment in early.OrderBy(e => e.Start))
        {
            var setting = surgery is { } at && treatment.Start < at ? "neoadjuvant" : "adjuvant";
            if (surgery is { } cut && treatment.Start < cut && treatment.Stop is { } stop && stop > cut)
            {
                notes.Add(new MappingNote("earlyDisease.regimens",
                    $"The regimen starting {Format(treatment.Start)} runs past the breast surgery of {Format(cut)}; it is called neoadjuvant because it started before surgery.",
                    string.Join(", ", treatment.Sources)));
            }

            var regimen = new JsonObject
            {
                ["setting"] = setting,
                ["agents"] = new JsonArray(treatment.Agents.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["start"] = Format(treatment.Start),
            };
            if (treatment.Stop is { } end)
            {
                regimen["stop"] = Format(end);
            }

            regimens.Add(regimen);
        }

        var earlyDisease = new JsonObject { ["regimens"] = regimens };
        if (TrastuzumabCompleted(uses) is { } completed)
        {
            earlyDisease["trastuzumabCompleted"] = Format(completed.Date);
            notes.Add(new MappingNote("earlyDisease.trastuzumabCompleted",
                $"{Format(completed.Date)}: the last early-disease record of trastuzumab-based therapy; the 12-month rule after adjuvant trastuzumab counts from it.",
                completed.Source));
        }

        patient["earlyDisease"] = earlyDisease;
    }

    /// <summary>
    /// When early-disease trastuzumab-based therapy (trastuzumab, T-DM1) ended: its last record before the metastatic
    /// diagnosis, whatever else went on (endocrine therapy continuing keeps a regimen open, not trastuzumab). Unknown
    /// while such a record is still running at the diagnosis.
    /// </summary>
    private (DateOnly Date, string Source)? TrastuzumabCompleted(List<MedicationUse> uses)
    {
        if (metastaticDiagnosisDate is not { } md)
        {
            return null;
        }

        var trastuzumabBased = uses
            .Where(u => u.Start < md && u.Agents.Any(a => kb.FindAgent(a) is { } agent && kb.TrastuzumabBased.Contains(agent)))
            .ToList();
        if (trastuzumabBased.Count == 0 || trastuzumabBased.Any(u => u.Status == MedicationUseStatus.Active && (u.End is null || u.End > md)))
        {
            return null;
        }

        var last = trastuzumabBased.MaxBy(u => u.End ?? u.Start)!;
        var end = last.End ?? last.Start;
        return (end > md ? md : end, last.Source);
    }

    private void WriteMetastaticRegimens(JsonObject patient, IReadOnlyList<DerivedLine> lines, JsonObject disease)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var progressingNow = disease["extracranialStatus"]?.GetValue<string>() == "progressing";
        var regimens = new JsonArray();
        foreach (var line in lines)
        {
            var regimen = new JsonObject
            {
                ["agents"] = new JsonArray(line.Agents.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()),
                ["start"] = line.Start,
            };
            if (line.Stop is not null)
            {
                regimen["stop"] = line.Stop;
            }

            if (line.BestResponse is not null)
            {
                regimen["bestResponse"] = line.BestResponse;
            }

            string? stopReason = null;
            if (line.Stop is not null)
            {
                stopReason = line.StopReason;
                if (stopReason is null)
                {
                    stopReason = "other";
                    notes.Add(new MappingNote($"metastaticRegimens[{line.Number - 1}].stopReason", "No reason recorded for the end of this line: 'other'.", string.Join(", ", line.Sources)));
                }

                regimen["stopReason"] = stopReason;
            }

            if (line.ProgressionAtFirstAssessment is { } early)
            {
                if (early && stopReason != "progression" && !(line.Stop is null && progressingNow))
                {
                    notes.Add(new MappingNote($"metastaticRegimens[{line.Number - 1}].progressionAtFirstAssessment",
                        "Progression at the first assessment was inferred, but the line neither ended for progression nor is progressing now: left out.", string.Join(", ", line.Sources)));
                }
                else
                {
                    regimen["progressionAtFirstAssessment"] = early;
                }
            }

            if (line.TaxaneStopped is not null)
            {
                regimen["taxaneStopped"] = line.TaxaneStopped;
            }

            if (stopReason == "toxicity" && line.CausativeAgents.Count > 0)
            {
                regimen["causativeAgents"] = new JsonArray(line.CausativeAgents.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
            }

            if (stopReason == "toxicity" && line.Toxicity is not null)
            {
                regimen["toxicity"] = line.Toxicity;
            }

            regimens.Add(regimen);
        }

        patient["metastaticRegimens"] = regimens;
    }
}
