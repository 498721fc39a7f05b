using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.PatientBuilder;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Facts a record leaves out flow into the engine as unknowns: asked for always, and blocking only the decisions
/// they change (de novo or recurrence, the date of the metastatic diagnosis, the status of brain metastases).
/// </summary>
public class UnknownFactsTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    [Fact]
    public void Not_knowing_de_novo_from_recurrence_blocks_the_choice_between_first_and_second_line()
    {
        var d = Decide(Patient().PresentationTypeUnknown("2025-10-01"));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "presentation.type" && m.Blocking);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.PresentationUnknown);
        Assert.Empty(d.Recommendations);
    }

    [Fact]
    public void Not_knowing_de_novo_from_recurrence_does_not_block_a_third_line_decision_but_is_asked_for()
    {
        var d = Decide(Patient()
            .PresentationTypeUnknown("2023-01-01")
            .Line("2023-01-20", "2024-02-01", Thp)
            .Line("2024-02-15", "2025-05-01", ["trastuzumab-emtansine"]));

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        Assert.NotEmpty(d.Recommendations);
        Assert.Contains(d.MissingData, m => m.Field == "presentation.type" && !m.Blocking);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.LineCountUncertain);
    }

    [Fact]
    public void Early_disease_treatment_on_record_reads_as_a_recurrence_when_the_type_is_not_given()
    {
        var d = Decide(Patient()
            .RecurrenceAfter("2025-10-01", "2025-01-01", ["paclitaxel", "trastuzumab"])
            .Presentation(new Presentation(null, null, D("2025-10-01"))));

        // The 12-month rule applies: relapse 9 months after adjuvant trastuzumab is second line (seed 000).
        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        Assert.Equal(Herald.Core.Tri.True, d.Facts.Recurrence);
        Assert.DoesNotContain(d.MissingData, m => m.Field == "presentation.type");
    }

    [Fact]
    public void Without_the_date_of_the_metastatic_diagnosis_no_regimen_is_ranked_and_the_date_is_asked_for()
    {
        var d = Decide(Patient().Presentation(new Presentation(PresentationType.DeNovo, null, null)));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "presentation.metastaticDiagnosisDate" && m.Blocking);
        Assert.Empty(d.Recommendations);
    }

    [Fact]
    public void A_patient_without_distant_metastases_is_out_of_scope_not_data_needed()
    {
        var d = Decide(Patient().Presentation(new Presentation(PresentationType.NotMetastatic, D("2025-01-01"), null)).Sites());

        Assert.Equal(DecisionKind.OutOfScope, d.Point.Kind);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.NotMetastatic);
        Assert.Contains(d.Alerts, a => a.Engine == EngineAlert.OutOfScope && a.Template == EngineTexts.NotMetastatic);
        Assert.Empty(d.Recommendations);
    }

    [Fact]
    public void Her2_negative_disease_is_out_of_scope_for_the_her2_reason_even_when_not_metastatic()
    {
        var d = Decide(Patient()
            .Her2Ihc(IhcScore.OnePlus)
            .Presentation(new Presentation(PresentationType.NotMetastatic, D("2025-01-01"), null)).Sites());

        Assert.Equal(DecisionKind.OutOfScope, d.Point.Kind);
        Assert.Contains(d.Alerts, a => a.Template == EngineTexts.OutOfScope);
    }

    [Fact]
    public void Brain_metastases_of_unknown_status_with_a_working_line_block_continue_versus_local_therapy()
    {
        var d = Decide(Patient()
            .Line("2024-02-01", "2025-05-01", Thp)
            .Ongoing("2025-06-01", ["trastuzumab-emtansine"])
            .Extracranial(ExtracranialStatus.Stable)
            .BrainWithoutStatus());

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "disease.brain.status" && m.Blocking);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.BrainStatusUnknown);
    }

    [Fact]
    public void Brain_metastases_of_unknown_status_do_not_block_a_new_line_after_progression_but_are_asked_for()
    {
        var d = Decide(Patient()
            .Line("2024-02-01", "2025-05-01", Thp)
            .BrainWithoutStatus());

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        Assert.NotEmpty(d.Recommendations);
        Assert.Contains(d.MissingData, m => m.Field == "disease.brain.status" && !m.Blocking);
    }
}
