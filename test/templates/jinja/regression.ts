// Cases from pallets/jinja tests/test_regression.py at 3.1.6 (15206881c006c79667fe5154fe80c01c65410679): each
// template and context a test there renders, with Jinja 3.1.6's output for it with autoescape
// on (see ./case.ts for how they were taken and what the fields mean).
import type { JinjaCase } from './case.js';

export const CASES: JinjaCase[] = [
  {
    id: 'test_regression.py::TestCorner::test_assigned_scoping',
    feature: 'loops',
    source: '\n        {%- for item in (1, 2, 3, 4) -%}\n            [{{ item }}]\n        {%- endfor %}\n        {{- item -}}\n        ',
    context: { item: 42 },
    jinja: '[1][2][3][4]42',
  },
  {
    id: 'test_regression.py::TestCorner::test_assigned_scoping #2',
    feature: 'loops',
    source:
      '\n        {%- for item in (1, 2, 3, 4) -%}\n            [{{ item }}]\n        {%- endfor %}\n        {%- set item = 42 %}\n        {{- item -}}\n        ',
    jinja: '[1][2][3][4]42',
  },
  {
    id: 'test_regression.py::TestCorner::test_assigned_scoping #3',
    feature: 'loops',
    source:
      '\n        {%- set item = 42 %}\n        {%- for item in (1, 2, 3, 4) -%}\n            [{{ item }}]\n        {%- endfor %}\n        {{- item -}}\n        ',
    jinja: '[1][2][3][4]42',
  },
  {
    id: 'test_regression.py::TestCorner::test_closure_scoping',
    feature: 'loops',
    source:
      '\n        {%- set wrapper = "<FOO>" %}\n        {%- for item in (1, 2, 3, 4) %}\n            {%- macro wrapper() %}[{{ item }}]{% endmacro %}\n            {{- wrapper() }}\n        {%- endfor %}\n        {{- wrapper -}}\n        ',
    jinja: '[1][2][3][4]&lt;FOO&gt;',
  },
  {
    id: 'test_regression.py::TestCorner::test_closure_scoping #2',
    feature: 'loops',
    source:
      '\n        {%- for item in (1, 2, 3, 4) %}\n            {%- macro wrapper() %}[{{ item }}]{% endmacro %}\n            {{- wrapper() }}\n        {%- endfor %}\n        {%- set wrapper = "<FOO>" %}\n        {{- wrapper -}}\n        ',
    jinja: '[1][2][3][4]&lt;FOO&gt;',
  },
  {
    id: 'test_regression.py::TestCorner::test_closure_scoping #3',
    feature: 'loops',
    source:
      '\n        {%- for item in (1, 2, 3, 4) %}\n            {%- macro wrapper() %}[{{ item }}]{% endmacro %}\n            {{- wrapper() }}\n        {%- endfor %}\n        {{- wrapper -}}\n        ',
    context: { wrapper: 23 },
    jinja: '[1][2][3][4]23',
  },
  {
    id: 'test_regression.py::TestBug::test_extends_output_bugs',
    feature: 'inheritance',
    source: '{% if expr %}{% extends "parent.html" %}{% endif %}[[{% block title %}title{% endblock %}]]{% for item in [1, 2, 3] %}({{ item }}){% endfor %}',
    templates: { 'parent.html': '(({% block title %}{% endblock %}))' },
    context: { expr: false },
    jinja: '[[title]](1)(2)(3)',
    refused:
      "TEMPLATE_SYNTAX: {% extends %} inside an if; the layout may come from a value ({% extends layout %}), but the template's structure must be known when it is compiled",
  },
  {
    id: 'test_regression.py::TestBug::test_extends_output_bugs #2',
    feature: 'inheritance',
    source: '{% if expr %}{% extends "parent.html" %}{% endif %}[[{% block title %}title{% endblock %}]]{% for item in [1, 2, 3] %}({{ item }}){% endfor %}',
    templates: { 'parent.html': '(({% block title %}{% endblock %}))' },
    context: { expr: true },
    jinja: '((title))',
    refused:
      "TEMPLATE_SYNTAX: {% extends %} inside an if; the layout may come from a value ({% extends layout %}), but the template's structure must be known when it is compiled",
  },
  {
    id: 'test_regression.py::TestBug::test_urlize_filter_escaping',
    feature: 'filters',
    source: '{{ "http://www.example.org/<foo"|urlize }}',
    jinja: '<a href="http://www.example.org/&lt;foo" rel="noopener">http://www.example.org/&lt;foo</a>',
    differs: 'urlize links get rel="nofollow noopener" by default (Jinja: noopener): urlized text is usually someone else\'s',
    palisade: '<a href="http://www.example.org/&lt;foo" rel="nofollow noopener">http://www.example.org/&lt;foo</a>',
  },
  {
    id: 'test_regression.py::TestBug::test_urlize_filter_closing_punctuation',
    feature: 'filters',
    source: '{{ "(see http://www.example.org/?page=subj_<desc.h>)"|urlize }}',
    jinja: '(see <a href="http://www.example.org/?page=subj_&lt;desc.h&gt;" rel="noopener">http://www.example.org/?page=subj_&lt;desc.h&gt;</a>)',
    differs: 'urlize links get rel="nofollow noopener" by default (Jinja: noopener): urlized text is usually someone else\'s',
    palisade: '(see <a href="http://www.example.org/?page=subj_&lt;desc.h&gt;" rel="nofollow noopener">http://www.example.org/?page=subj_&lt;desc.h&gt;</a>)',
  },
  {
    id: 'test_regression.py::TestBug::test_loop_call_loop',
    feature: 'macros',
    source:
      '\n\n        {% macro test() %}\n            {{ caller() }}\n        {% endmacro %}\n\n        {% for num1 in range(5) %}\n            {% call test() %}\n                {% for num2 in range(10) %}\n                    {{ loop.index }}\n                {% endfor %}\n            {% endcall %}\n        {% endfor %}\n\n        ',
    jinja:
      '\n\n        \n\n        \n            \n            \n                \n                    1\n                \n                    2\n                \n                    3\n                \n                    4\n                \n                    5\n                \n                    6\n                \n                    7\n                \n                    8\n                \n                    9\n                \n                    10\n                \n            \n        \n        \n            \n            \n                \n                    1\n                \n                    2\n                \n                    3\n                \n                    4\n                \n                    5\n                \n                    6\n                \n                    7\n                \n                    8\n                \n                    9\n                \n                    10\n                \n            \n        \n        \n            \n            \n                \n                    1\n                \n                    2\n                \n                    3\n                \n                    4\n                \n                    5\n                \n                    6\n                \n                    7\n                \n                    8\n                \n                    9\n                \n                    10\n                \n            \n        \n        \n            \n            \n                \n                    1\n                \n                    2\n                \n                    3\n                \n                    4\n                \n                    5\n                \n                    6\n                \n                    7\n                \n                    8\n                \n                    9\n                \n                    10\n                \n            \n        \n        \n            \n            \n                \n                    1\n                \n                    2\n                \n                    3\n                \n                    4\n                \n                    5\n                \n                    6\n                \n                    7\n                \n                    8\n                \n                    9\n                \n                    10\n                \n            \n        \n        \n\n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_old_macro_loop_scoping_bug',
    feature: 'macros',
    source: '{% for i in (1, 2) %}{{ i }}{% endfor %}{% macro i() %}3{% endmacro %}{{ i() }}',
    jinja: '123',
  },
  {
    id: 'test_regression.py::TestBug::test_partial_conditional_assignments',
    feature: 'expressions',
    source: '{% if b %}{% set a = 42 %}{% endif %}{{ a }}',
    context: { a: 23 },
    jinja: '23',
  },
  {
    id: 'test_regression.py::TestBug::test_partial_conditional_assignments #2',
    feature: 'expressions',
    source: '{% if b %}{% set a = 42 %}{% endif %}{{ a }}',
    context: { b: true },
    jinja: '42',
  },
  {
    id: 'test_regression.py::TestBug::test_stacked_locals_scoping_bug_twoframe',
    feature: 'loops',
    source:
      '\n            {% set x = 1 %}\n            {% for item in foo %}\n                {% if item == 1 %}\n                    {% set x = 2 %}\n                {% endif %}\n            {% endfor %}\n            {{ x }}\n        ',
    context: { foo: [1] },
    jinja: '\n            \n            \n                \n                    \n                \n            \n            1\n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_call_with_args',
    feature: 'macros',
    source:
      '{% macro dump_users(users) -%}\n        <ul>\n          {%- for user in users -%}\n            <li><p>{{ user.username|e }}</p>{{ caller(user) }}</li>\n          {%- endfor -%}\n          </ul>\n        {%- endmacro -%}\n\n        {% call(user) dump_users(list_of_user) -%}\n          <dl>\n            <dl>Realname</dl>\n            <dd>{{ user.realname|e }}</dd>\n            <dl>Description</dl>\n            <dd>{{ user.description }}</dd>\n          </dl>\n        {% endcall %}',
    context: { list_of_user: [{ username: 'apo', realname: 'something else', description: 'test' }] },
    jinja:
      '<ul><li><p>apo</p><dl>\n            <dl>Realname</dl>\n            <dd>something else</dd>\n            <dl>Description</dl>\n            <dd>test</dd>\n          </dl>\n        </li></ul>',
  },
  {
    id: 'test_regression.py::TestBug::test_else_loop_bug',
    feature: 'loops',
    source:
      '\n            {% for x in y %}\n                {{ loop.index0 }}\n            {% else %}\n                {% for i in range(3) %}{{ i }}{% endfor %}\n            {% endfor %}\n        ',
    context: { y: [] },
    jinja: '\n            \n                012\n            \n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_block_set_with_extends',
    feature: 'inheritance',
    source: '{% extends "main" %}{% set x %}42{% endset %}',
    templates: { main: '{% block body %}[{{ x }}]{% endblock %}' },
    jinja: '[42]',
  },
  {
    id: 'test_regression.py::TestBug::test_nested_for_else',
    feature: 'loops',
    source: '{% for x in y %}{{ loop.index0 }}{% else %}{% for i in range(3) %}{{ i }}{% endfor %}{% endfor %}',
    jinja: '012',
  },
  {
    id: 'test_regression.py::TestBug::test_macro_var_bug',
    feature: 'macros',
    source:
      '\n        {% set i = 1 %}\n        {% macro test() %}\n            {% for i in range(0, 10) %}{{ i }}{% endfor %}\n        {% endmacro %}{{ test() }}\n        ',
    jinja: '\n        \n        \n            0123456789\n        \n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_macro_var_bug_advanced',
    feature: 'macros',
    source:
      '\n        {% macro outer() %}\n            {% set i = 1 %}\n            {% macro test() %}\n                {% for i in range(0, 10) %}{{ i }}{% endfor %}\n            {% endmacro %}{{ test() }}\n        {% endmacro %}{{ outer() }}\n        ',
    jinja: '\n        \n            \n            \n                0123456789\n            \n        \n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_macro_escaping',
    feature: 'macros',
    source: '{% macro m() %}<html>{% endmacro %}{% autoescape true %}{{ m() }}{% endautoescape %}',
    jinja: '<html>',
  },
  {
    id: 'test_regression.py::TestBug::test_macro_scoping',
    feature: 'macros',
    source:
      '\n        {% set n=[1,2,3,4,5] %}\n        {% for n in [[1,2,3], [3,4,5], [5,6,7]] %}\n\n        {% macro x(l) %}\n          {{ l.pop() }}\n          {% if l %}{{ x(l) }}{% endif %}\n        {% endmacro %}\n\n        {{ x(n) }}\n\n        {% endfor %}\n        ',
    jinja:
      '\n        \n        \n\n        \n\n        \n          3\n          \n          2\n          \n          1\n          \n        \n        \n        \n\n        \n\n        \n\n        \n          5\n          \n          4\n          \n          3\n          \n        \n        \n        \n\n        \n\n        \n\n        \n          7\n          \n          6\n          \n          5\n          \n        \n        \n        \n\n        \n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_scopes_and_blocks',
    feature: 'inheritance',
    source: "\n                {%- set foo = 'bar' -%}\n                {% include 'x.html' -%}\n            ",
    templates: {
      'b.html': "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% include 'x.html' %}{% endblock -%}\n                ",
      'c.html':
        "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% set foo = foo\n                    %}{% include 'x.html' %}{% endblock -%}\n            ",
      'x.html': '{{ foo }}|{{ test }}',
    },
    context: { test: 'x' },
    jinja: 'bar|x',
  },
  {
    id: 'test_regression.py::TestBug::test_scopes_and_blocks #2',
    feature: 'inheritance',
    source: "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% include 'x.html' %}{% endblock -%}\n                ",
    templates: {
      'a.html': "\n                {%- set foo = 'bar' -%}\n                {% include 'x.html' -%}\n            ",
      'c.html':
        "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% set foo = foo\n                    %}{% include 'x.html' %}{% endblock -%}\n            ",
      'x.html': '{{ foo }}|{{ test }}',
    },
    context: { test: 'x' },
    jinja: 'bar|x',
  },
  {
    id: 'test_regression.py::TestBug::test_scopes_and_blocks #3',
    feature: 'inheritance',
    source:
      "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% set foo = foo\n                    %}{% include 'x.html' %}{% endblock -%}\n            ",
    templates: {
      'a.html': "\n                {%- set foo = 'bar' -%}\n                {% include 'x.html' -%}\n            ",
      'b.html': "\n                {%- set foo = 'bar' -%}\n                {% block test %}{% include 'x.html' %}{% endblock -%}\n                ",
      'x.html': '{{ foo }}|{{ test }}',
    },
    context: { test: 'x' },
    jinja: 'bar|x',
  },
  {
    id: 'test_regression.py::TestBug::test_scopes_and_include',
    feature: 'inheritance',
    source: '{% extends "base.html" %}{% set var = 42 %}',
    templates: { 'include.html': '{{ var }}', 'base.html': '{% include "include.html" %}' },
    jinja: '42',
  },
  {
    id: 'test_regression.py::TestBug::test_variable_reuse',
    feature: 'loops',
    source: '{% for x in x.y %}{{ x }}{% endfor %}',
    context: { x: { y: [0, 1, 2] } },
    jinja: '012',
  },
  {
    id: 'test_regression.py::TestBug::test_variable_reuse #2',
    feature: 'loops',
    source: '{% for x in x.y %}{{ loop.index0 }}|{{ x }}{% endfor %}',
    context: { x: { y: [0, 1, 2] } },
    jinja: '0|01|12|2',
  },
  {
    id: 'test_regression.py::TestBug::test_variable_reuse #3',
    feature: 'loops',
    source: '{% for x in x.y recursive %}{{ x }}{% endfor %}',
    context: { x: { y: [0, 1, 2] } },
    jinja: '012',
  },
  {
    id: 'test_regression.py::TestBug::test_double_caller',
    feature: 'macros',
    source: '{% macro x(caller=none) %}[{% if caller %}{{ caller() }}{% endif %}]{% endmacro %}{{ x() }}{% call x() %}aha!{% endcall %}',
    jinja: '[][aha!]',
  },
  {
    id: 'test_regression.py::TestBug::test_macro_blocks',
    feature: 'macros',
    source: '{% macro x() %}{% block foo %}x{% endblock %}{% endmacro %}{{ x() }}',
    jinja: 'x',
  },
  {
    id: 'test_regression.py::TestBug::test_scoped_block',
    feature: 'inheritance',
    source: '{% set x = 1 %}{% with x = 2 %}{% block y scoped %}{{ x }}{% endblock %}{% endwith %}',
    jinja: '2',
  },
  {
    id: 'test_regression.py::TestBug::test_recursive_loop_filter',
    feature: 'loops',
    source:
      '\n        <?xml version="1.0" encoding="UTF-8"?>\n        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n          {%- for page in [site.root] if page.url != this recursive %}\n          <url><loc>{{ page.url }}</loc></url>\n          {{- loop(page.children) }}\n          {%- endfor %}\n        </urlset>\n        ',
    context: { this: '/foo', site: { root: { url: '/', children: [{ url: '/foo' }, { url: '/bar' }] } } },
    jinja:
      '\n        <?xml version="1.0" encoding="UTF-8"?>\n        <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n          <url><loc>/</loc></url>\n          <url><loc>/bar</loc></url>\n        </urlset>\n        ',
  },
  {
    id: 'test_regression.py::TestBug::test_empty_if',
    feature: 'expressions',
    source: '{% if foo %}{% else %}42{% endif %}',
    context: { foo: false },
    jinja: '42',
  },
  {
    id: 'test_regression.py::TestBug::test_subproperty_if',
    feature: 'tests',
    source: '{% if object1.subproperty1 is eq object2.subproperty2 %}42{% endif %}',
    context: { object1: { subproperty1: 'value' }, object2: { subproperty2: 'value' } },
    jinja: '42',
  },
  {
    id: 'test_regression.py::TestBug::test_set_and_include',
    feature: 'inheritance',
    source: '{% set foo = "foo" %}{{ foo }}{% include "inc" %}',
    templates: { inc: 'bar' },
    jinja: 'foobar',
  },
  {
    id: 'test_regression.py::TestBug::test_loop_include',
    feature: 'inheritance',
    source: '{% for i in [1, 2, 3] %}{% include "inc" %}{% endfor %}',
    templates: { inc: '{{ i }}' },
    jinja: '123',
  },
  {
    id: 'test_regression.py::TestBug::test_custom_context',
    feature: 'inheritance',
    source: '{% extends "base" %}',
    templates: { base: '{{ foobar }}' },
    context: { foobar: 'test' },
    jinja: 'test',
  },
  {
    id: 'test_regression.py::TestBug::test_recursive_loop_bug',
    feature: 'loops',
    source: '{%- for value in values recursive %}1{% else %}0{% endfor -%}',
    context: { values: [] },
    jinja: '0',
  },
  {
    id: 'test_regression.py::TestBug::test_scoped_block_loop_vars',
    feature: 'inheritance',
    source:
      'Start\n{% for i in ["foo", "bar"] -%}\n{% block body scoped -%}\n{{ loop.index }}) {{ i }}{% if loop.last %} last{% endif -%}\n{%- endblock %}\n{% endfor -%}\nEnd',
    jinja: 'Start\n1) foo\n2) bar last\nEnd',
  },
  {
    id: 'test_regression.py::TestBug::test_pass_context_loop_vars',
    feature: 'loops',
    source:
      '{% set i = 42 %}\n{%- for idx in range(2) -%}\n{{ i }}{{ j }}\n{% set i = idx -%}\n{%- set j = loop.index -%}\n{{ test() }}\n{{ i }}{{ j }}\n{% endfor -%}\n{{ i }}{{ j }}',
    jinjaError: 'UndefinedError',
  },
  {
    id: 'test_regression.py::TestBug::test_pass_context_scoped_loop_vars',
    feature: 'inheritance',
    source:
      '{% set i = 42 %}\n{%- for idx in range(2) -%}\n{{ i }}\n{%- set i = loop.index0 -%}\n{% block body scoped %}\n{{ test() }}\n{% endblock -%}\n{% endfor -%}\n{{ i }}',
    jinjaError: 'UndefinedError',
  },
  {
    id: 'test_regression.py::TestBug::test_pass_context_in_blocks',
    feature: 'inheritance',
    source: '{%- set i = 42 -%}\n{{ i }}\n{% block body -%}\n{% set i = 24 -%}\n{{ test() }}\n{% endblock -%}\n{{ i }}',
    jinjaError: 'UndefinedError',
  },
  {
    id: 'test_regression.py::TestBug::test_pass_context_block_and_loop',
    feature: 'inheritance',
    source:
      '{%- set i = 42 -%}\n{% for idx in range(2) -%}\n{{ test() }}\n{%- set i = idx -%}\n{% block body scoped %}\n{{ test() }}\n{% set i = 24 -%}\n{{ test() }}\n{% endblock -%}\n{{ test() }}\n{% endfor -%}\n{{ test() }}',
    jinjaError: 'UndefinedError',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[extends]',
    feature: 'inheritance',
    source: "{% extends 'base' %}",
    templates: { base: '{{ x }} {{ y }}' },
    context: { x: 'bar' },
    globals: { x: 'x', y: 'y' },
    jinja: 'bar y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[extends] #2',
    feature: 'inheritance',
    source: '{{ x }} {{ y }}',
    templates: { main: "{% extends 'base' %}" },
    globals: { x: 'x', y: 'y' },
    jinja: 'x y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[extends] #3',
    feature: 'inheritance',
    source: '{{ x }} {{ y }}',
    templates: { main: "{% extends 'base' %}" },
    context: { x: 42 },
    globals: { x: 'x', y: 'y' },
    jinja: '42 y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[extends] #4',
    feature: 'inheritance',
    source: "{% extends 'base' %}",
    templates: { base: '{{ x }} {{ y }}' },
    globals: { x: 'x', y: 'y' },
    jinja: 'x y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[include]',
    feature: 'inheritance',
    source: "{% include 'base' %}",
    templates: { base: '{{ x }} {{ y }}' },
    context: { x: 'bar' },
    globals: { x: 'x', y: 'y' },
    jinja: 'bar y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[include] #2',
    feature: 'inheritance',
    source: '{{ x }} {{ y }}',
    templates: { main: "{% include 'base' %}" },
    globals: { x: 'x', y: 'y' },
    jinja: 'x y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[include] #3',
    feature: 'inheritance',
    source: '{{ x }} {{ y }}',
    templates: { main: "{% include 'base' %}" },
    context: { x: 42 },
    globals: { x: 'x', y: 'y' },
    jinja: '42 y',
  },
  {
    id: 'test_regression.py::TestBug::test_cached_extends[include] #4',
    feature: 'inheritance',
    source: "{% include 'base' %}",
    templates: { base: '{{ x }} {{ y }}' },
    globals: { x: 'x', y: 'y' },
    jinja: 'x y',
  },
  {
    id: 'test_regression.py::TestBug::test_nested_loop_scoping',
    feature: 'loops',
    source: '{% set output %}{% for x in [1,2,3] %}hello{% endfor %}{% endset %}{{ output }}',
    jinja: 'hellohellohello',
  },
  {
    id: 'test_regression.py::test_load_parameter_when_set_in_all_if_branches',
    feature: 'expressions',
    source: '{% if True %}{{ a.b }}{% set a = 1 %}{% elif False %}{% set a = 2 %}{% else %}{% set a = 3 %}{% endif %}{{ a }}',
    context: { a: { b: 0 } },
    jinja: '01',
  },
  {
    id: 'test_regression.py::test_unicode_whitespace[\\x0c]',
    feature: 'expressions',
    source: 'Lorem ipsum\n\f\nMore text',
    jinja: 'Lorem ipsum\n\f\nMore text',
  },
  { id: 'test_regression.py::test_unicode_whitespace[\\x85]', feature: 'expressions', source: 'Lorem ipsum\n\nMore text', jinja: 'Lorem ipsum\n\nMore text' },
];
