"""Thin views: fetch what the learner owns, call one service or selector, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@login_required
@require_GET
def study(request: HttpRequest) -> HttpResponse:
    return render(request, "quizzes/study.html")
