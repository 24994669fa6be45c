from django import forms
from django.utils.translation import gettext_lazy as _

from inka.core.forms import DateInput
from inka.programme.models import FundingRound


class RetentionApprovalForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the file number of the review. No names."),
    )


class FundingRoundRetentionForm(forms.ModelForm):
    class Meta:
        model = FundingRound
        fields = ["final_payment_on", "retention_years"]
        widgets = {"final_payment_on": DateInput()}
