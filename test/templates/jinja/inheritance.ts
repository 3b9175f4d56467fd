// Cases from pallets/jinja tests/test_inheritance.py at 3.1.6 (15206881c006c79667fe5154fe80c01c65410679): each
// template and context a test there renders, with Jinja 3.1.6's output for it with autoescape
// on (see ./case.ts for how they were taken and what the fields mean).
import type { JinjaCase } from './case.js';

export const CASES: JinjaCase[] = [
  {
    id: 'test_inheritance.py::TestInheritance::test_layout',
    feature: 'inheritance',
    source:
      '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
    templates: {
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '|block 1 from layout\n|block 2 from layout\n|\nnested block 4 from layout\n|',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level1',
    feature: 'inheritance',
    source: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '|block 1 from level1\n|block 2 from layout\n|\nnested block 4 from layout\n|',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level2',
    feature: 'inheritance',
    source: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '|block 1 from level1\n|nested block 5 from level2\n|\nnested block 4 from layout\n|',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level3',
    feature: 'inheritance',
    source: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '|block 1 from level1\n|block 5 from level3\n|\nblock 4 from level3\n|',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level4',
    feature: 'inheritance',
    source: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '|block 1 from level1\n|block 5 from level3\n|block 3 from level4|',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_super',
    feature: 'inheritance',
    source: '{% extends "b" %}{% block intro %}--{{ super() }}--{% endblock %}\n{% block data %}[{{ super() }}]{% endblock %}',
    templates: {
      a: '{% block intro %}INTRO{% endblock %}|BEFORE|{% block data %}INNER{% endblock %}|AFTER',
      b: '{% extends "a" %}{% block data %}({{ super() }}){% endblock %}',
    },
    jinja: '--INTRO--|BEFORE|[(INNER)]|AFTER',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_reuse_blocks',
    feature: 'inheritance',
    source: '{{ self.foo() }}|{% block foo %}42{% endblock %}|{{ self.foo() }}',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
      doublee:
        '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinja: '42|42|42',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_preserve_blocks',
    feature: 'inheritance',
    source: '{% extends "a" %}{% block x %}B{{ super() }}{% endblock %}',
    templates: { a: '{% if false %}{% block x %}A{% endblock %}{% endif %}{{ self.x() }}' },
    jinja: 'BA',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_dynamic_inheritance',
    feature: 'inheritance',
    source: '{% extends default %}{% block x %}CHILD{% endblock %}',
    templates: { default1: 'DEFAULT1{% block x %}{% endblock %}', default2: 'DEFAULT2{% block x %}{% endblock %}' },
    context: { default: 'default1' },
    jinja: 'DEFAULT1CHILD',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_dynamic_inheritance #2',
    feature: 'inheritance',
    source: '{% extends default %}{% block x %}CHILD{% endblock %}',
    templates: { default1: 'DEFAULT1{% block x %}{% endblock %}', default2: 'DEFAULT2{% block x %}{% endblock %}' },
    context: { default: 'default2' },
    jinja: 'DEFAULT2CHILD',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_multi_inheritance',
    feature: 'inheritance',
    source: "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{% block x %}CHILD{% endblock %}",
    templates: { default1: 'DEFAULT1{% block x %}{% endblock %}', default2: 'DEFAULT2{% block x %}{% endblock %}' },
    context: { default: 'default2' },
    jinja: 'DEFAULT2CHILD',
    refused:
      "TEMPLATE_SYNTAX: {% extends %} inside an if; the layout may come from a value ({% extends layout %}), but the template's structure must be known when it is compiled",
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_multi_inheritance #2',
    feature: 'inheritance',
    source: "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{% block x %}CHILD{% endblock %}",
    templates: { default1: 'DEFAULT1{% block x %}{% endblock %}', default2: 'DEFAULT2{% block x %}{% endblock %}' },
    context: { default: 'default1' },
    jinja: 'DEFAULT1CHILD',
    refused:
      "TEMPLATE_SYNTAX: {% extends %} inside an if; the layout may come from a value ({% extends layout %}), but the template's structure must be known when it is compiled",
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_multi_inheritance #3',
    feature: 'inheritance',
    source: "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{% block x %}CHILD{% endblock %}",
    templates: { default1: 'DEFAULT1{% block x %}{% endblock %}', default2: 'DEFAULT2{% block x %}{% endblock %}' },
    jinja: 'DEFAULT1CHILD',
    refused:
      "TEMPLATE_SYNTAX: {% extends %} inside an if; the layout may come from a value ({% extends layout %}), but the template's structure must be known when it is compiled",
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_scoped_block',
    feature: 'inheritance',
    source: "{% extends 'default.html' %}{% block item %}{{ item }}{% endblock %}",
    templates: { 'default.html': '{% for item in seq %}[{% block item scoped %}{% endblock %}]{% endfor %}' },
    context: { seq: [0, 1, 2, 3, 4] },
    jinja: '[0][1][2][3][4]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_super_in_scoped_block',
    feature: 'inheritance',
    source: '{% extends "default.html" %}{% block item %}{{ super() }}|{{ item * 2 }}{% endblock %}',
    templates: { 'default.html': '{% for item in seq %}[{% block item scoped %}{{ item }}{% endblock %}]{% endfor %}' },
    context: { seq: [0, 1, 2, 3, 4] },
    jinja: '[0|0][1|2][2|4][3|6][4|8]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_scoped_block_after_inheritance',
    feature: 'inheritance',
    source:
      "\n            {%- extends 'layout.html' %}\n            {% from 'helpers.html' import foo with context %}\n            {% block useless %}\n                {% for x in [1, 2, 3] %}\n                    {% block testing scoped %}\n                        {{ foo(x) }}\n                    {% endblock %}\n                {% endfor %}\n            {% endblock %}\n            ",
    templates: {
      'layout.html': '\n            {% block useless %}{% endblock %}\n            ',
      'helpers.html': '\n            {% macro foo(x) %}{{ the_foo + x }}{% endmacro %}\n            ',
    },
    context: { the_foo: 42 },
    jinja:
      '\n            \n                \n                    \n                        43\n                    \n                \n                    \n                        44\n                    \n                \n                    \n                        45\n                    \n                \n            \n            ',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level1_required',
    feature: 'inheritance',
    source: "{% extends 'default' %}{% block x %}[1]{% endblock %}",
    templates: { default: '{% block x required %}{# comment #}\n {% endblock %}' },
    jinja: '[1]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level2_required',
    feature: 'inheritance',
    source: "{% extends 'default' %}{% block x %}[1]{% endblock %}",
    templates: { default: '{% block x required %}{% endblock %}', level2: "{% extends 'default' %}{% block x %}[2]{% endblock %}" },
    jinja: '[1]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level2_required #2',
    feature: 'inheritance',
    source: "{% extends 'default' %}{% block x %}[2]{% endblock %}",
    templates: { default: '{% block x required %}{% endblock %}', level1: "{% extends 'default' %}{% block x %}[1]{% endblock %}" },
    jinja: '[2]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level3_required',
    feature: 'inheritance',
    source: "{% extends 'default' %}",
    templates: {
      default: '{% block x required %}{% endblock %}',
      level2: "{% extends 'level1' %}{% block x %}[2]{% endblock %}",
      level3: "{% extends 'level2' %}",
    },
    jinjaError: 'TemplateRuntimeError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level3_required #2',
    feature: 'inheritance',
    source: "{% extends 'level1' %}{% block x %}[2]{% endblock %}",
    templates: { default: '{% block x required %}{% endblock %}', level1: "{% extends 'default' %}", level3: "{% extends 'level2' %}" },
    jinja: '[2]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_level3_required #3',
    feature: 'inheritance',
    source: "{% extends 'level2' %}",
    templates: {
      default: '{% block x required %}{% endblock %}',
      level1: "{% extends 'default' %}",
      level2: "{% extends 'level1' %}{% block x %}[2]{% endblock %}",
    },
    jinja: '[2]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_invalid_required',
    feature: 'inheritance',
    source: '{% extends t %}{% block x %}CHILD{% endblock %}',
    templates: {
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
    },
    context: { t: 'empty' },
    jinja: 'CHILD',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_invalid_required #2',
    feature: 'inheritance',
    source: '{% extends t %}{% block x %}CHILD{% endblock %}',
    templates: {
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
    },
    context: { t: 'blank' },
    jinja: 'CHILD',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_invalid_required #3',
    feature: 'inheritance',
    source: '{% extends t %}{% block x %}CHILD{% endblock %}',
    templates: {
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
    },
    context: { t: 'text' },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_invalid_required #4',
    feature: 'inheritance',
    source: '{% extends t %}{% block x %}CHILD{% endblock %}',
    templates: {
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
    },
    context: { t: 'block' },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_invalid_required #5',
    feature: 'inheritance',
    source: '{% extends t %}{% block x %}CHILD{% endblock %}',
    templates: {
      empty: '{% block x required %}{% endblock %}',
      blank: '{% block x required %} {# c #}{% endblock %}',
      text: '{% block x required %}data {# c #}{% endblock %}',
      block: '{% block x required %}{% block y %}{% endblock %}{% endblock %}',
      if: '{% block x required %}{% if true %}{% endif %}{% endblock %}',
    },
    context: { t: 'if' },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_required_with_scope',
    feature: 'inheritance',
    source: "{% extends 'default1' %}{% block item %}{{ item }}{% endblock %}",
    templates: {
      default1: '{% for item in seq %}[{% block item scoped required %}{% endblock %}]{% endfor %}',
      default2: '{% for item in seq %}[{% block item required scoped %}{% endblock %}]{% endfor %}',
      child2: "{% extends 'default2' %}{% block item %}{{ item }}{% endblock %}",
    },
    context: { seq: [0, 1, 2] },
    jinja: '[0][1][2]',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_required_with_scope #2',
    feature: 'inheritance',
    source: "{% extends 'default2' %}{% block item %}{{ item }}{% endblock %}",
    templates: {
      default1: '{% for item in seq %}[{% block item scoped required %}{% endblock %}]{% endfor %}',
      child1: "{% extends 'default1' %}{% block item %}{{ item }}{% endblock %}",
      default2: '{% for item in seq %}[{% block item required scoped %}{% endblock %}]{% endfor %}',
    },
    context: { seq: [0, 1, 2] },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_duplicate_required_or_scoped',
    feature: 'inheritance',
    source: "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{%- block x %}CHILD{% endblock %}",
    templates: {
      default1: '{% for item in seq %}[{% block item scoped scoped %}}{{% endblock %}}]{{% endfor %}}',
      default2: '{% for item in seq %}[{% block item required required %}}{{% endblock %}}]{{% endfor %}}',
    },
    context: { default: 'default1', seq: [0, 1, 2] },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestInheritance::test_duplicate_required_or_scoped #2',
    feature: 'inheritance',
    source: "{% if default %}{% extends default %}{% else %}{% extends 'default1' %}{% endif %}{%- block x %}CHILD{% endblock %}",
    templates: {
      default1: '{% for item in seq %}[{% block item scoped scoped %}}{{% endblock %}}]{{% endfor %}}',
      default2: '{% for item in seq %}[{% block item required required %}}{{% endblock %}}]{{% endfor %}}',
    },
    context: { default: 'default2', seq: [0, 1, 2] },
    jinjaError: 'TemplateSyntaxError',
  },
  {
    id: 'test_inheritance.py::TestBugFix::test_fixed_macro_scoping_bug',
    feature: 'inheritance',
    source:
      "        {% extends 'details.html' %}\n\n        {% macro my_macro() %}\n        my_macro\n        {% endmacro %}\n\n        {% block inner_box %}\n            {{ my_macro() }}\n        {% endblock %}\n            ",
    templates: {
      'details.html':
        "        {% extends 'standard.html' %}\n\n        {% macro my_macro() %}\n        my_macro\n        {% endmacro %}\n\n        {% block content %}\n            {% block outer_box %}\n                outer_box\n                {% block inner_box %}\n                    inner_box\n                {% endblock %}\n            {% endblock %}\n        {% endblock %}\n        ",
      'standard.html': '\n        {% block content %}&nbsp;{% endblock %}\n        ',
    },
    jinja:
      '                \n        \n            \n                outer_box\n                \n            \n        my_macro\n        \n        \n            \n        \n        ',
  },
  {
    id: 'test_inheritance.py::TestBugFix::test_double_extends',
    feature: 'inheritance',
    source:
      '{% extends "layout" %}\n{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    templates: {
      layout:
        '|{% block block1 %}block 1 from layout{% endblock %}\n|{% block block2 %}block 2 from layout{% endblock %}\n|{% block block3 %}\n{% block block4 %}nested block 4 from layout{% endblock %}\n{% endblock %}|',
      level1: '{% extends "layout" %}\n{% block block1 %}block 1 from level1{% endblock %}',
      level2: '{% extends "level1" %}\n{% block block2 %}{% block block5 %}nested block 5 from level2{%\nendblock %}{% endblock %}',
      level3: '{% extends "level2" %}\n{% block block5 %}block 5 from level3{% endblock %}\n{% block block4 %}block 4 from level3{% endblock %}\n',
      level4: '{% extends "level3" %}\n{% block block3 %}block 3 from level4{% endblock %}\n',
      working:
        '{% extends "layout" %}\n{% block block1 %}\n  {% if false %}\n    {% block block2 %}\n      this should work\n    {% endblock %}\n  {% endif %}\n{% endblock %}\n',
    },
    jinjaError: 'TemplateRuntimeError',
  },
];
