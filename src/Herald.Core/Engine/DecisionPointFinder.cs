using Herald.Core.Patients;

namespace Herald.Core.Engine;

/// <summary>
/// Finds where the patient stands: which line, maintenance, continuation, brain-metastasis management,
/// or that something decisive is missing. Seed 000 gives the 12-month rule; docs/decision-logic.md
/// walks through every branch.
/// </summary>
internal static class DecisionPointFinder
{
    internal static readonly MissingItem Her2Missing = new(
        "receptors.her2",
        "HER2 status is needed: IHC 3+ or ISH amplification defines HER2-positive disease. Test a biopsy of a metastatic lesion where possible (seed 001: repeat biopsies to identify clonal evolution).",
        Blocking: true);

    internal static readonly MissingItem Her2Equivocal = new(
        "receptors.her2.ish",
        "HER2 IHC 2+ (or ISH equivocal) is not enough to decide: an ISH result is needed, ideally on a biopsy of a metastatic lesion.",
        Blocking: true);

    internal static readonly MissingItem Her2IshBehindReport = new(
        "receptors.her2.ish",
        "HER2 is read as positive from the report's overall interpretation of an IHC 2+ result; record the ISH result it rests on.",
        Blocking: false);

    internal static readonly MissingItem EarlyDiseaseMissing = new(
        "earlyDisease",
        "This is a recurrence, but no early-disease treatment is recorded: if adjuvant trastuzumab finished 12 months or less before the recurrence, the guideline treats it as second line (seed 000). Record the early-disease regimens, or an empty list if there were none.",
        Blocking: true);

    internal static readonly MissingItem TrastuzumabCompletedMissing = new(
        "earlyDisease.trastuzumabCompleted",
        "The date adjuvant trastuzumab finished is needed: relapse within 12 months counts as second line, after 12 months as first line (seed 000).",
        Blocking: true);

    internal static readonly MissingItem TrastuzumabCompletedMissingNonBlocking = TrastuzumabCompletedMissing with { Blocking = false };

    internal static readonly MissingItem PresentationTypeMissing = new(
        "presentation.type",
        "Was the disease metastatic at first diagnosis (de novo) or is it a recurrence after treatment of early disease? For a recurrence, relapse within 12 months of adjuvant trastuzumab counts as second line (seed 000).",
        Blocking: true);

    internal static readonly MissingItem MetastaticDiagnosisDateMissing = new(
        "presentation.metastaticDiagnosisDate",
        "The date metastatic disease was diagnosed is needed: it separates early-disease treatment from metastatic lines, and the 12-month rule after adjuvant trastuzumab counts from it (seed 000).",
        Blocking: true);

    internal static readonly MissingItem BrainStatusMissing = new(
        "disease.brain.status",
        "Brain metastases are recorded but not whether they are new, progressing or stable: with the disease elsewhere responding, the 2021 panel allows local therapy of small solitary brain metastases rather than a switch of systemic therapy (seed 001).",
        Blocking: true);

    internal static readonly MissingItem BrainStatusMissingNonBlocking = BrainStatusMissing with { Blocking = false };

    internal static readonly MissingItem ExtracranialStatusMissing = new(
        "disease.extracranialStatus",
        "A regimen is ongoing: is the disease responding, stable or progressing on it? This decides between continuing and changing therapy.",
        Blocking: true);

    internal static DecisionPoint Find(
        Patient patient,
        Her2Scope her2,
        Tri earlyRelapse,
        Tri recurrence,
        MissingItem? relapseWaitsFor,
        bool hadEarlyTrastuzumab,
        int? monthsToRelapse,
        TherapyLine[] lines,
        TherapyLine? ongoing,
        int finishedLines,
        int? taxaneMonths,
        bool receivedTrastuzumabAndTdm1,
        IReadOnlyList<EarlyFailure> earlyFailures,
        List<MissingItem> missing)
    {
        var rationale = new List<RationaleItem>(6);
        var presentation = patient.Presentation;
        if (her2 == Her2Scope.Negative)
        {
            rationale.Add(new RationaleItem(RationaleCode.Her2Negative));
            return new DecisionPoint { Kind = DecisionKind.OutOfScope, Rationale = rationale };
        }

        if (presentation.Type == PresentationType.NotMetastatic)
        {
            rationale.Add(new RationaleItem(RationaleCode.NotMetastatic));
            return new DecisionPoint { Kind = DecisionKind.OutOfScope, Rationale = rationale };
        }

        switch (her2)
        {
            case Her2Scope.Unknown:
                rationale.Add(new RationaleItem(RationaleCode.Her2Unknown));
                missing.Add(Her2Missing);
                return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale };
            case Her2Scope.Equivocal:
                rationale.Add(new RationaleItem(RationaleCode.Her2Equivocal));
                missing.Add(Her2Equivocal);
                return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale };
        }

        if (patient.Receptors.Her2 is { } test && test.Ihc != IhcScore.ThreePlus && test.Ish != IshResult.Amplified
            && (test.Ihc == IhcScore.TwoPlus || test.Ish == IshResult.Equivocal))
        {
            // Positive by the report's interpretation of an equivocal IHC: say so, and ask for the ISH result behind it.
            rationale.Add(new RationaleItem(RationaleCode.Her2PositiveAsReported));
            missing.Add(Her2IshBehindReport);
        }
        else
        {
            rationale.Add(new RationaleItem(RationaleCode.Her2Positive));
        }

        if (presentation.MetastaticDiagnosis is not { } diagnosed)
        {
            rationale.Add(new RationaleItem(RationaleCode.MetastaticDiagnosisDateUnknown));
            missing.Add(MetastaticDiagnosisDateMissing);
            return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale };
        }

        rationale.Add(recurrence switch
        {
            Tri.True => new RationaleItem(RationaleCode.Recurrence, Date: diagnosed),
            Tri.False => new RationaleItem(RationaleCode.DeNovo, Date: diagnosed),
            _ => new RationaleItem(RationaleCode.PresentationUnknown, Date: diagnosed),
        });

        if (recurrence == Tri.True)
        {
            if (patient.EarlyDisease is null)
            {
                rationale.Add(new RationaleItem(RationaleCode.EarlyTreatmentNotRecorded));
            }
            else if (!hadEarlyTrastuzumab)
            {
                rationale.Add(new RationaleItem(RationaleCode.RecurrenceWithoutEarlyHer2Therapy));
            }
            else if (earlyRelapse == Tri.Unknown)
            {
                rationale.Add(new RationaleItem(RationaleCode.TrastuzumabCompletionUnknown));
            }
            else if (earlyRelapse == Tri.True)
            {
                rationale.Add(new RationaleItem(RationaleCode.EarlyRelapseWithin12Months, monthsToRelapse ?? 0));
            }
            else
            {
                rationale.Add(new RationaleItem(RationaleCode.RelapseAfter12Months, monthsToRelapse ?? 0));
            }
        }

        foreach (var failure in earlyFailures)
        {
            rationale.Add(new RationaleItem(RationaleCode.EarlyRegimenFailed, failure.MonthsToRelapse, Early: failure));
        }

        rationale.Add(finishedLines == 0
            ? new RationaleItem(RationaleCode.NoPriorMetastaticLines)
            : new RationaleItem(RationaleCode.PriorMetastaticLines, finishedLines));

        var extracranial = patient.Disease.Extracranial;
        var brain = patient.Disease.Brain;
        var brainActive = brain is null ? Tri.False
            : brain.Status is { } brainStatus ? TriLogic.From(brainStatus is BrainMetastasisStatus.New or BrainMetastasisStatus.Progressing)
            : Tri.Unknown;

        // An ongoing line that is working: continue it (maintenance in first line).
        if (ongoing is not null && !ongoing.IsFailingNow)
        {
            if (extracranial is null)
            {
                rationale.Add(new RationaleItem(RationaleCode.OngoingLineStatusUnknown, ongoing.Number, Line: ongoing));
                missing.Add(ExtracranialStatusMissing);
                return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale, CurrentLine = ongoing };
            }

            rationale.Add(new RationaleItem(RationaleCode.OngoingLineControlled, ongoing.Number, Line: ongoing));
            if (patient.Disease.Leptomeningeal && brainActive != Tri.True)
            {
                // Leptomeningeal disease is disease in the central nervous system that needs a decision (local therapy,
                // or a change of systemic therapy), not simply carrying on with the line.
                rationale.Add(new RationaleItem(RationaleCode.LeptomeningealDiseaseExtracranialControlled));
                brainActive = Tri.True;
            }
            else if (brainActive == Tri.Unknown)
            {
                // Local therapy for active brain metastases, or carrying on: the status decides.
                rationale.Add(new RationaleItem(RationaleCode.BrainStatusUnknown));
                missing.Add(BrainStatusMissing);
                return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale, CurrentLine = ongoing };
            }

            DecisionKind kind;
            if (brainActive == Tri.True)
            {
                kind = DecisionKind.BrainMetastasesLocalTherapy;
                if (!(patient.Disease.Leptomeningeal && brain?.Status is not (BrainMetastasisStatus.New or BrainMetastasisStatus.Progressing)))
                {
                    rationale.Add(new RationaleItem(RationaleCode.BrainMetastasesActiveExtracranialControlled));
                }
            }
            else if (ongoing.GuidelineLine == 1 && ongoing.IsAntiHer2)
            {
                kind = DecisionKind.Maintenance;
                rationale.Add(ongoing.TaxaneStopped
                    ? new RationaleItem(RationaleCode.MaintenanceTaxaneStopped, Date: ongoing.Source.TaxaneStopped!.Value)
                    : new RationaleItem(RationaleCode.MaintenanceTaxaneOngoing, taxaneMonths ?? 0));
            }
            else if (ongoing.Source.BestResponse == Response.CompleteResponse && ongoing.IsAntiHer2)
            {
                kind = DecisionKind.ContinuationAfterCompleteResponse;
                rationale.Add(new RationaleItem(RationaleCode.CompleteResponseOngoing, ongoing.Number));
            }
            else
            {
                kind = DecisionKind.ContinueCurrentTherapy;
            }

            if (!CheckLineCount(earlyRelapse, patient, ongoing.GuidelineLine, kindDependsOnLine: ongoing.GuidelineLine == 1 && kind != DecisionKind.BrainMetastasesLocalTherapy, relapseWaitsFor, rationale, missing))
            {
                return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale, CurrentLine = ongoing };
            }

            return new DecisionPoint { Kind = kind, Line = ongoing.GuidelineLine, Rationale = rationale, CurrentLine = ongoing };
        }

        // Otherwise a new line starts.
        if (ongoing is not null)
        {
            rationale.Add(new RationaleItem(RationaleCode.OngoingLineProgressing, ongoing.Number, Line: ongoing));
        }

        var shift = earlyRelapse == Tri.True ? 1 : 0;
        var next = finishedLines + 1 + shift;
        if (!CheckLineCount(earlyRelapse, patient, next, kindDependsOnLine: next <= 2, relapseWaitsFor, rationale, missing))
        {
            return new DecisionPoint { Kind = DecisionKind.DataNeeded, Rationale = rationale };
        }

        var last = lines.Length > 0 ? lines[^1] : null;
        if (last is not null && !last.EndedByProgression && ongoing is null)
        {
            rationale.Add(new RationaleItem(RationaleCode.NoProgressionAfterLastLine, last.Number, Line: last));
        }

        if (brainActive == Tri.True)
        {
            rationale.Add(new RationaleItem(RationaleCode.BrainMetastasesActiveSwitching));
        }
        else if (brainActive == Tri.Unknown)
        {
            // A new line is needed either way; the status still bears on the choice of regimen.
            rationale.Add(new RationaleItem(RationaleCode.BrainStatusUnknown));
            missing.Add(BrainStatusMissingNonBlocking);
        }

        if (last is not null && last.EndedByProgression && last.GuidelineLine == 1 && last.TaxaneStopped && last.IsAntiHer2)
        {
            rationale.Add(new RationaleItem(RationaleCode.ProgressionDuringMaintenance, last.Number, Line: last));
            return new DecisionPoint { Kind = DecisionKind.ProgressionOnMaintenance, Line = 2, Rationale = rationale };
        }

        var nextKind = next switch
        {
            1 => DecisionKind.FirstLine,
            2 => DecisionKind.SecondLine,
            _ => DecisionKind.LaterLine,
        };
        if (nextKind == DecisionKind.SecondLine && receivedTrastuzumabAndTdm1)
        {
            rationale.Add(new RationaleItem(RationaleCode.PanelCountsThirdLine));
        }
        return new DecisionPoint { Kind = nextKind, Line = next, Rationale = rationale };
    }

    /// <summary>
    /// When the 12-month rule cannot be applied for lack of dates, the line may be one higher than
    /// counted. That blocks the decision only when it could change the kind of decision.
    /// </summary>
    private static bool CheckLineCount(
        Tri earlyRelapse, Patient patient, int line, bool kindDependsOnLine, MissingItem? waitsFor, List<RationaleItem> rationale, List<MissingItem> missing)
    {
        if (earlyRelapse != Tri.Unknown)
        {
            return true;
        }

        var item = waitsFor ?? (patient.EarlyDisease is null ? EarlyDiseaseMissing : TrastuzumabCompletedMissing);
        missing.Add(kindDependsOnLine ? item : item with { Blocking = false });
        if (!kindDependsOnLine)
        {
            rationale.Add(new RationaleItem(RationaleCode.LineCountUncertain, line, line + 1));
        }

        return !kindDependsOnLine;
    }
}
